#include "diff/pair_kernel.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

namespace gitmodel {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

DiffStats Stats(const std::vector<double>& a, const std::vector<double>& b, DiffTolerance tol = {}) {
  DiffStats s;
  AccumulateBlock(a, b, tol, s);
  return s;
}

TEST(PairKernelTest, SumsOfAHandWorkedExample) {
  // b - a = [0, 0, 0.5, -1, 0]
  const DiffStats s = Stats({1, 2, 3, 4, 0}, {1, 2, 3.5, 3, 0});
  EXPECT_EQ(s.numel, 5u);
  EXPECT_EQ(s.differ, 2u);
  EXPECT_EQ(s.not_close, 2u);
  EXPECT_DOUBLE_EQ(s.sq_diff, 1.25);
  EXPECT_DOUBLE_EQ(s.sq_a, 30);
  EXPECT_DOUBLE_EQ(s.sq_b, 1 + 4 + 12.25 + 9);
  EXPECT_DOUBLE_EQ(s.dot, 1 + 4 + 10.5 + 12);
  EXPECT_DOUBLE_EQ(s.max_abs, 1);
  EXPECT_DOUBLE_EQ(s.sum_abs, 1.5);
  EXPECT_DOUBLE_EQ(s.l2(), std::sqrt(1.25));
  EXPECT_DOUBLE_EQ(s.rel(), std::sqrt(1.25) / std::sqrt(30.0));
  EXPECT_DOUBLE_EQ(s.mean_abs(), 0.3);
  EXPECT_DOUBLE_EQ(s.frac_differ(), 0.4);
  EXPECT_DOUBLE_EQ(s.cosine(), 27.5 / (std::sqrt(30.0) * std::sqrt(26.25)));
  EXPECT_FALSE(s.allclose());
}

TEST(PairKernelTest, ToleranceIsTorchIscloseOfBAgainstA) {
  // |b - a| <= atol + rtol * |a|: 100 -> 100.5 is close with rtol 0.01 (allowed 1.0)...
  EXPECT_EQ(Stats({100}, {100.5}, {0, 0.01}).not_close, 0u);
  // ...but 0.5 -> 1.0 is not (allowed 0.005), although it would be relative to b's size.
  EXPECT_EQ(Stats({0.5}, {1.0}, {0, 0.01}).not_close, 1u);
  EXPECT_EQ(Stats({0}, {1e-9}, {1e-8, 0}).not_close, 0u);
  EXPECT_EQ(Stats({0}, {1e-7}, {1e-8, 0}).not_close, 1u);
}

TEST(PairKernelTest, NonFiniteValuesFollowTorch) {
  // inf == inf is close and equal; inf vs -inf is neither, even with an infinite allowance.
  DiffStats same_inf = Stats({kInf}, {kInf});
  EXPECT_EQ(same_inf.differ, 0u);
  EXPECT_EQ(same_inf.not_close, 0u);
  EXPECT_EQ(Stats({kInf}, {-kInf}, {0, 1}).not_close, 1u);
  EXPECT_EQ(Stats({1}, {kInf}).not_close, 1u);
  // NaN differs from itself and is never close; it makes the sums and the maximum NaN.
  DiffStats nan = Stats({kNaN, 1}, {kNaN, 5});
  EXPECT_EQ(nan.differ, 2u);
  EXPECT_EQ(nan.not_close, 2u);
  EXPECT_TRUE(std::isnan(nan.sq_diff));
  EXPECT_TRUE(std::isnan(nan.max_abs));
  // -0 and +0 are equal values.
  EXPECT_EQ(Stats({-0.0}, {0.0}).differ, 0u);
}

TEST(PairKernelTest, MergeEqualsOnePassOverTheConcatenation) {
  std::vector<double> a, b;
  for (int i = 0; i < 1001; ++i) {
    a.push_back(std::sin(i) * 3);
    b.push_back(std::sin(i) * 3 + (i % 7 == 0 ? 0.25 * std::cos(i) : 0));
  }
  const DiffStats whole = Stats(a, b);
  DiffStats merged = Stats({a.begin(), a.begin() + 400}, {b.begin(), b.begin() + 400});
  merged.Merge(Stats({a.begin() + 400, a.end()}, {b.begin() + 400, b.end()}));
  EXPECT_EQ(merged.numel, whole.numel);
  EXPECT_EQ(merged.differ, whole.differ);
  EXPECT_EQ(merged.not_close, whole.not_close);
  EXPECT_NEAR(merged.sq_diff, whole.sq_diff, 1e-12 * whole.sq_diff);
  EXPECT_NEAR(merged.dot, whole.dot, 1e-12 * std::fabs(whole.dot));
  EXPECT_DOUBLE_EQ(merged.max_abs, whole.max_abs);
}

TEST(PairKernelTest, DegenerateNorms) {
  const DiffStats zeros = Stats({0, 0}, {0, 0});
  EXPECT_EQ(zeros.rel(), 0);
  EXPECT_TRUE(std::isnan(zeros.cosine()));
  EXPECT_EQ(Stats({0}, {2}).rel(), kInf);
  const DiffStats empty = Stats({}, {});
  EXPECT_EQ(empty.mean_abs(), 0);
  EXPECT_EQ(empty.frac_differ(), 0);
  EXPECT_TRUE(empty.allclose());
}

}  // namespace
}  // namespace gitmodel
