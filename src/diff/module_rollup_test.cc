#include "diff/module_rollup.h"

#include <gtest/gtest.h>

#include <cmath>

namespace gitmodel {
namespace {

TensorDiff Tensor(std::string name, TensorChange change, uint64_t numel_a, uint64_t numel_b) {
  TensorDiff t;
  t.name = std::move(name);
  t.section = SectionOf(t.name);
  t.change = change;
  if (change != TensorChange::kAdded) t.a = TensorSide{DType::kFloat32, {int64_t(numel_a)}, numel_a};
  if (change != TensorChange::kRemoved) t.b = TensorSide{DType::kFloat32, {int64_t(numel_b)}, numel_b};
  return t;
}

TEST(ModuleRollupTest, ModuleKeyCutsTheModulePathToDepth) {
  EXPECT_EQ(ModuleKey("layer1.0.conv1.weight", 2), "layer1.0");
  EXPECT_EQ(ModuleKey("layer1.0.conv1.weight", 1), "layer1");
  EXPECT_EQ(ModuleKey("layer1.0.conv1.weight", 9), "layer1.0.conv1");
  EXPECT_EQ(ModuleKey("fc.weight", 2), "fc");
  EXPECT_EQ(ModuleKey("weight", 2), "");
  EXPECT_EQ(ModuleKey("layer1.0.conv1.weight", 0), "");
}

TEST(ModuleRollupTest, SectionsSplitOptimizerState) {
  EXPECT_EQ(SectionOf("optimizer.state.0.exp_avg"), DiffSection::kOptimizer);
  EXPECT_EQ(SectionOf("optimizer_states.0.state.1.exp_avg_sq"), DiffSection::kOptimizer);
  EXPECT_EQ(SectionOf("Optim.x"), DiffSection::kOptimizer);
  EXPECT_EQ(SectionOf("model.fc.weight"), DiffSection::kModel);
  EXPECT_EQ(SectionOf("fc.optimizer_scale"), DiffSection::kModel);  // only the first component counts
}

TEST(ModuleRollupTest, RollUpCountsAndSumsPerModule) {
  std::vector<TensorDiff> tensors = {Tensor("enc.l1.weight", TensorChange::kChanged, 6, 6),
                                     Tensor("enc.l1.bias", TensorChange::kIdentical, 2, 2),
                                     Tensor("enc.l2.weight", TensorChange::kAdded, 0, 4),
                                     Tensor("optimizer.state.0.exp_avg", TensorChange::kChanged, 6, 6)};
  tensors[0].stats = DiffStats{.numel = 6, .sq_diff = 4, .sq_a = 16};
  tensors[1].stats = DiffStats{.numel = 2, .sq_a = 9};
  const auto modules = RollUpModules(tensors, 2);
  ASSERT_EQ(modules.size(), 3u);
  EXPECT_EQ(modules[0].name, "enc.l1");
  EXPECT_EQ(modules[0].tensors, 2u);
  EXPECT_EQ(modules[0].changed, 1u);
  EXPECT_EQ(modules[0].params_a, 8u);
  EXPECT_DOUBLE_EQ(modules[0].rel(), 2.0 / 5.0);
  EXPECT_EQ(modules[1].name, "enc.l2");
  EXPECT_EQ(modules[1].added, 1u);
  EXPECT_EQ(modules[1].params_a, 0u);
  EXPECT_EQ(modules[1].params_b, 4u);
  EXPECT_TRUE(std::isnan(modules[1].rel()));  // nothing compared: no relative change
  EXPECT_EQ(modules[2].section, DiffSection::kOptimizer);
}

TEST(ModuleRollupTest, SummaryNamesTopmostAddedAndRemovedModules) {
  std::vector<TensorDiff> tensors = {Tensor("fc1.weight", TensorChange::kChanged, 6, 6),
                                     Tensor("head.0.weight", TensorChange::kAdded, 0, 3),
                                     Tensor("head.1.weight", TensorChange::kAdded, 0, 3),
                                     Tensor("fc1.extra.bias", TensorChange::kAdded, 0, 2),
                                     Tensor("old.weight", TensorChange::kRemoved, 5, 0),
                                     Tensor("optimizer.state.0.m", TensorChange::kAdded, 0, 100)};
  const DiffSummary s = Summarise(tensors);
  EXPECT_EQ(s.changed, 1u);
  EXPECT_EQ(s.added, 4u);
  EXPECT_EQ(s.removed, 1u);
  EXPECT_EQ(s.params_a, 11u);  // the optimizer's elements are not parameters
  EXPECT_EQ(s.params_b, 14u);
  EXPECT_EQ(s.params_changed, 6u + 3 + 3 + 2 + 5);
  EXPECT_EQ(s.added_modules, (std::vector<std::string>{"fc1.extra", "head"}));
  EXPECT_EQ(s.removed_modules, (std::vector<std::string>{"old"}));
}

}  // namespace
}  // namespace gitmodel
