#include "hyperparams/param_diff.h"

#include <gtest/gtest.h>

#include <limits>

namespace gitmodel {
namespace {

using nlohmann::json;

TEST(ParamDiffTest, ValuesCompareByMeaning) {
  EXPECT_TRUE(SameParamValue(json(1e-3), json(0.001)));
  EXPECT_TRUE(SameParamValue(json(1), json(1.0)));
  EXPECT_FALSE(SameParamValue(json(64), json("64")));
  EXPECT_FALSE(SameParamValue(json(true), json(1)));
  EXPECT_TRUE(SameParamValue(json::array({1, 2.0}), json::array({1.0, 2})));
  EXPECT_FALSE(SameParamValue(json::array({1, 2}), json::array({1, 2, 3})));
  EXPECT_TRUE(SameParamValue(json(std::numeric_limits<double>::quiet_NaN()),
                             json(std::numeric_limits<double>::quiet_NaN())));
  EXPECT_FALSE(SameParamValue(json(int64_t{1} << 60), json((int64_t{1} << 60) + 1)));
  EXPECT_TRUE(SameParamValue(json(nullptr), json(nullptr)));
}

TEST(ParamDiffTest, DiffListsChangesInKeyOrder) {
  const FlatParams before = {{"batch", 64}, {"lr", 0.01}, {"old", "x"}, {"same", 1e-3}};
  const FlatParams after = {{"batch", 128}, {"lr", 0.001}, {"new", true}, {"same", 0.001}};
  const auto changes = DiffParams(before, after);
  ASSERT_EQ(changes.size(), 4u);
  EXPECT_EQ(ParamChangeText(changes[0]), "batch: 64 -> 128");
  EXPECT_EQ(ParamChangeText(changes[1]), "lr: 0.01 -> 0.001");
  EXPECT_EQ(ParamChangeText(changes[2]), "new: (added) true");
  EXPECT_EQ(ParamChangeText(changes[3]), "old: x -> (removed)");
}

}  // namespace
}  // namespace gitmodel
