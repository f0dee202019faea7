#include "report/report_architecture.h"

#include <gtest/gtest.h>

namespace gitmodel {
namespace {

CheckpointLayout Layout(std::map<std::string, std::string> tensors, uint64_t parameters) {
  return {std::move(tensors), parameters};
}

TEST(ReportArchitecture, ModulesAddedRemovedAndReshaped) {
  ArchitectureChange c;
  c.previous_commit = "p";
  CompareLayouts(Layout({{"enc.0.weight", "float32[4, 4]"}, {"head.weight", "float32[2, 4]"}, {"old.bias", "float32[2]"}}, 26),
                 Layout({{"enc.0.weight", "float32[4, 4]"}, {"enc.1.weight", "float32[4, 4]"}, {"head.weight", "float32[3, 4]"}}, 44), c);
  EXPECT_EQ(c.modules_added, (std::vector<std::string>{"enc.1"}));
  EXPECT_EQ(c.modules_removed, (std::vector<std::string>{"old"}));
  EXPECT_EQ(c.tensors_reshaped, (std::vector<std::string>{"head.weight"}));
  EXPECT_EQ(c.parameters_before, 26u);
  EXPECT_EQ(c.parameters_after, 44u);
  EXPECT_TRUE(ArchitectureChanged(c));
}

TEST(ReportArchitecture, RetrainedWeightsAreNoChange) {
  ArchitectureChange c;
  c.previous_commit = "p";
  CheckpointLayout same = Layout({{"w", "float32[2]"}}, 2);
  CompareLayouts(same, same, c);
  EXPECT_FALSE(ArchitectureChanged(c));
  ArchitectureChange fresh;  // no previous version: a new checkpoint
  CompareLayouts(std::nullopt, same, fresh);
  EXPECT_EQ(fresh.modules_added, (std::vector<std::string>{"(top level)"}));
  EXPECT_TRUE(ArchitectureChanged(fresh));
}

TEST(ReportArchitecture, CheckpointPaths) {
  EXPECT_TRUE(IsCheckpointPath("runs/model.pth"));
  EXPECT_TRUE(IsCheckpointPath("x.safetensors"));
  EXPECT_FALSE(IsCheckpointPath("train.py"));
  EXPECT_FALSE(IsCheckpointPath("weights.bin"));
}

}  // namespace
}  // namespace gitmodel
