#include "report/commit_kind.h"

#include <gtest/gtest.h>

namespace gitmodel {
namespace {

TEST(CommitKind, ConventionalCommits) {
  CommitKind k = ClassifySubject("feat(data)!: add mixup augmentation");
  EXPECT_EQ(k.kind, "feat");
  EXPECT_EQ(k.scope, "data");
  EXPECT_EQ(k.description, "add mixup augmentation");
  EXPECT_TRUE(k.breaking);
  EXPECT_EQ(ClassifySubject("perf: cache the feature projection").kind, "perf");
  EXPECT_EQ(ClassifySubject("Fix: typo").kind, "fix");
  EXPECT_EQ(ClassifySubject("docs: say what eval.py logs").description, "say what eval.py logs");
}

TEST(CommitKind, FirstWordOfFreeFormSubjects) {
  EXPECT_EQ(ClassifySubject("Add ResNet-18 backbone").kind, "feat");
  EXPECT_EQ(ClassifySubject("Fixed NaN in the loss").kind, "fix");
  EXPECT_EQ(ClassifySubject("Speed up the data loader").kind, "perf");
  EXPECT_EQ(ClassifySubject("lower lr to 0.001").kind, "other");
  EXPECT_EQ(ClassifySubject("lower lr to 0.001").description, "lower lr to 0.001");
}

TEST(CommitKind, NotAPrefix) {
  EXPECT_EQ(ClassifySubject("wip: something").kind, "other");  // unknown type: first word "wip:"
  EXPECT_EQ(ClassifySubject("fix(unclosed: x").kind, "other");  // a malformed scope is no prefix
  EXPECT_TRUE(ClassifySubject("rework the API, BREAKING CHANGE for loaders").breaking);
  EXPECT_EQ(ClassifySubject("").kind, "other");
}

}  // namespace
}  // namespace gitmodel
