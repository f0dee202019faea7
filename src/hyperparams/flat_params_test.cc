#include "hyperparams/flat_params.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace gitmodel {
namespace {

using json = nlohmann::json;

TEST(ParamsFlatten, NestedObjectsBecomeDottedKeysAndScalarListsStayValues) {
  const FlatParams p = FlattenJson(json::parse(R"({"lr": 0.001, "opt": {"name": "adam", "betas": [0.9, 0.999]},
                                                   "layers": [64, 128], "empty_list": [], "none": null})"));
  EXPECT_EQ(p, (FlatParams{{"lr", 0.001}, {"opt.name", "adam"}, {"opt.betas", json::array({0.9, 0.999})},
                           {"layers", json::array({64, 128})}, {"empty_list", json::array()}, {"none", nullptr}}));
}

TEST(ParamsFlatten, ListsHoldingContainersAreFlattenedByIndex) {
  const FlatParams p = FlattenJson(json::parse(R"({"blocks": [{"w": 1}, {"w": 2}], "mixed": [1, [2, 3]]})"));
  EXPECT_EQ(p, (FlatParams{{"blocks.0.w", 1}, {"blocks.1.w", 2}, {"mixed.0", 1}, {"mixed.1", json::array({2, 3})}}));
}

TEST(ParamsFlatten, EmptyObjectsDisappearAndScalarRootsUseTheEmptyKey) {
  EXPECT_EQ(FlattenJson(json::parse(R"({"a": {}, "b": 1})")), (FlatParams{{"b", 1}}));
  EXPECT_EQ(FlattenJson(json(5)), (FlatParams{{"", 5}}));
}

TEST(ParamsFlatten, CollisionsKeepTheFirstOrFailWhenChecked) {
  const json v = json::parse(R"({"a": {"b": 1}, "a.b": 2})");
  EXPECT_EQ(FlattenJson(v), (FlatParams{{"a.b", 1}}));
  auto checked = FlattenJsonChecked(v, "x.yaml");
  ASSERT_FALSE(checked.ok());
  EXPECT_EQ(checked.status().code(), Code::kInvalidArgument);
  EXPECT_NE(checked.status().message().find("x.yaml: key 'a.b' appears twice"), std::string::npos);
}

TEST(ParamsFlatten, DepthIsBounded) {
  json deep = 1;
  for (int i = 0; i < kMaxConfigDepth + 5; ++i) deep = json{{"k", deep}};
  EXPECT_EQ(FlattenJson(deep).begin()->second, "<too deep>");
  auto checked = FlattenJsonChecked(deep, "deep.json");
  ASSERT_FALSE(checked.ok());
  EXPECT_EQ(checked.status().code(), Code::kLimit);
}

TEST(ParamsValueText, FloatsAreWrittenAsPythonReprWritesThem) {
  EXPECT_EQ(PythonFloatText(0.001), "0.001");
  EXPECT_EQ(PythonFloatText(1e-5), "1e-05");
  EXPECT_EQ(PythonFloatText(3e-4), "0.0003");
  EXPECT_EQ(PythonFloatText(1.0), "1.0");
  EXPECT_EQ(PythonFloatText(100.0), "100.0");
  EXPECT_EQ(PythonFloatText(1e15), "1000000000000000.0");
  EXPECT_EQ(PythonFloatText(1e16), "1e+16");
  EXPECT_EQ(PythonFloatText(1.5e300), "1.5e+300");
  EXPECT_EQ(PythonFloatText(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(PythonFloatText(-0.0), "-0.0");
  EXPECT_EQ(PythonFloatText(-2.5), "-2.5");
  EXPECT_EQ(PythonFloatText(123456.789), "123456.789");
  EXPECT_EQ(PythonFloatText(5e-324), "5e-324");
  EXPECT_EQ(PythonFloatText(std::numeric_limits<double>::infinity()), "inf");
  EXPECT_EQ(PythonFloatText(-std::numeric_limits<double>::infinity()), "-inf");
  EXPECT_EQ(PythonFloatText(std::nan("")), "nan");
}

TEST(ParamsValueText, ScalarsAndArrays) {
  EXPECT_EQ(ParamValueText(json("adam")), "adam");
  EXPECT_EQ(ParamValueText(json(42)), "42");
  EXPECT_EQ(ParamValueText(json(-7)), "-7");
  EXPECT_EQ(ParamValueText(json(true)), "true");
  EXPECT_EQ(ParamValueText(json(nullptr)), "null");
  EXPECT_EQ(ParamValueText(json(0.001)), "0.001");
  EXPECT_EQ(ParamValueText(json::parse(R"([0.9, 0.999, 1.0, "a\"b", null, false])")), R"([0.9, 0.999, 1.0, "a\"b", null, false])");
  EXPECT_EQ(ParamValueText(json::array()), "[]");
}

}  // namespace
}  // namespace gitmodel
