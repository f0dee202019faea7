#include "hyperparams/param_override.h"

#include <gtest/gtest.h>

#include <cmath>

#include "formats/testing/expect_error.h"

namespace gitmodel {
namespace {

using json = nlohmann::json;
using testutil::ExpectError;

json Value(std::string_view assignment) {
  auto r = ParseParamAssignment(assignment);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? r->second : json();
}

TEST(ParamsAssignment, ValuesAreTyped) {
  EXPECT_EQ(Value("lr=0.001"), json(0.001));
  EXPECT_EQ(Value("lr=1e-3"), json(0.001));
  EXPECT_EQ(Value("epochs=10"), json(10));
  EXPECT_EQ(Value("offset=-3"), json(-3));
  EXPECT_EQ(Value("huge=123456789012345678901234567890"), json(1.2345678901234568e29));
  EXPECT_EQ(Value("patience=inf"), json(INFINITY));
  EXPECT_TRUE(std::isnan(Value("x=nan").get<double>()));
  EXPECT_EQ(Value("amp=true"), json(true));
  EXPECT_EQ(Value("amp=False"), json(false));
  EXPECT_EQ(Value("resume=None"), json(nullptr));
  EXPECT_EQ(Value("resume=null"), json(nullptr));
  EXPECT_EQ(Value("layers=[64, 128]"), json::array({64, 128}));
  EXPECT_EQ(Value("names=[\"a\", \"b\"]"), json::array({"a", "b"}));
  EXPECT_EQ(Value("name=resnet18"), json("resnet18"));
  EXPECT_EQ(Value("expr=a=b"), json("a=b"));
  EXPECT_EQ(Value("empty="), json(""));
  EXPECT_EQ(Value("yes=yes"), json("yes"));
  EXPECT_EQ(Value("hex=0x10"), json("0x10"));
  EXPECT_EQ(Value("spaced= 5"), json(" 5"));
}

TEST(ParamsAssignment, KeysAndArraysAreChecked) {
  auto r = ParseParamAssignment("model.depth=50");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->first, "model.depth");
  ExpectError(ParseParamAssignment("lr"), Code::kInvalidArgument, "'lr': expected key=value");
  ExpectError(ParseParamAssignment("=1"), Code::kInvalidArgument, "non-empty key");
  ExpectError(ParseParamAssignment("my lr=1"), Code::kInvalidArgument, "must not contain spaces");
  ExpectError(ParseParamAssignment("a\nb=1"), Code::kInvalidArgument, "a\\x0ab=1");
  ExpectError(ParseParamAssignment("a..b=1"), Code::kInvalidArgument, "empty dotted component");
  ExpectError(ParseParamAssignment(".a=1"), Code::kInvalidArgument, "empty dotted component");
  ExpectError(ParseParamAssignment("k\xFF=1"), Code::kInvalidArgument, "not valid UTF-8");
  ExpectError(ParseParamAssignment("layers=[1, [2]]"), Code::kInvalidArgument, "JSON array of scalars");
  ExpectError(ParseParamAssignment("layers=[1, 2"), Code::kInvalidArgument, "--param layers:");
}

TEST(ParamsMetric, OnlyFiniteNumbers) {
  auto acc = ParseMetricAssignment("val_acc=0.93");
  ASSERT_TRUE(acc.ok());
  EXPECT_EQ(acc->first, "val_acc");
  EXPECT_EQ(acc->second, json(0.93));
  EXPECT_EQ(ParseMetricAssignment("step=100")->second, json(100));
  ExpectError(ParseMetricAssignment("acc=high"), Code::kInvalidArgument, "--metric acc: 'high' is not a number");
  ExpectError(ParseMetricAssignment("acc=true"), Code::kInvalidArgument, "is not a number");
  ExpectError(ParseMetricAssignment("loss=nan"), Code::kInvalidArgument, "is not a finite number");
  ExpectError(ParseMetricAssignment("loss=-inf"), Code::kInvalidArgument, "is not a finite number");
  ExpectError(ParseMetricAssignment("loss="), Code::kInvalidArgument, "is not a number");
  ExpectError(ParseMetricAssignment("x=1\n"), Code::kInvalidArgument, "'1\\x0a' is not a number");
}

}  // namespace
}  // namespace gitmodel
