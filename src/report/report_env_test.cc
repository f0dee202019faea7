#include "report/report_env.h"

#include <gtest/gtest.h>

namespace gitmodel {
namespace {

RunEnvironment Env(const std::string& run, const std::string& torch, const std::string& image, int gpus) {
  RunEnvironment r;
  r.run_id = run;
  r.commit.id = "c-" + run;
  r.env.torch = torch;
  r.env.container.image = image;
  for (int i = 0; i < gpus; ++i) r.env.gpus.push_back({"NVIDIA A100", 0, ""});
  return r;
}

TEST(ReportEnv, ChangedFieldsListEachValueWhereItFirstAppeared) {
  std::vector<EnvChange> changed;
  std::vector<EnvUnchanged> unchanged;
  EnvironmentChanges({Env("1", "2.1.0", "img:1", 2), Env("2", "2.2.0", "img:1", 2), Env("3", "2.1.0", "img:1", 2)},
                     changed, unchanged);
  ASSERT_EQ(changed.size(), 1u);
  EXPECT_EQ(changed[0].field, "torch");
  ASSERT_EQ(changed[0].values.size(), 2u);
  EXPECT_EQ(changed[0].values[0].value, "2.1.0");
  EXPECT_EQ(changed[0].values[0].runs, 2u);
  EXPECT_EQ(changed[0].values[1].first_run, "2");
  EXPECT_EQ(changed[0].values[1].commit.id, "c-2");
  ASSERT_EQ(unchanged.size(), 2u);
  EXPECT_EQ(unchanged[0].field, "gpu");
  EXPECT_EQ(unchanged[0].value, "2 x NVIDIA A100");
  EXPECT_EQ(unchanged[1].field, "image");
}

TEST(ReportEnv, NoRunsNoFields) {
  std::vector<EnvChange> changed;
  std::vector<EnvUnchanged> unchanged;
  EnvironmentChanges({}, changed, unchanged);
  EXPECT_TRUE(changed.empty());
  EXPECT_TRUE(unchanged.empty());
}

}  // namespace
}  // namespace gitmodel
