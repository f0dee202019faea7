#include "hyperparams/param_history.h"

#include <gtest/gtest.h>

#include "git/testing/must_git.h"
#include "hyperparams/param_blame.h"
#include "hyperparams/project_config.h"

namespace gitmodel {
namespace {

using testutil::MustGit;
using testutil::ShellQuote;
using testutil::TempDir;
using testutil::WriteFile;

class ParamHistoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    MustGit(dir_.path(), "init -q .");
    query_.config_globs = DefaultConfigGlobs();
  }

  std::string Commit(const std::string& file, const std::string& text, const std::string& subject) {
    WriteFile(dir_ / file, text);
    MustGit(dir_.path(), "add -A");
    MustGit(dir_.path(), "commit -q -m " + ShellQuote(subject));
    return MustGit(dir_.path(), "rev-parse HEAD").substr(0, 40);
  }

  GitRepo Open() {
    auto repo = DiscoverRepo(dir_.path());
    EXPECT_TRUE(repo.ok() && *repo);
    return std::move(**repo);
  }

  std::vector<std::string> Subjects(const std::vector<ParamCommit>& commits) {
    std::vector<std::string> out;
    for (const ParamCommit& c : commits) out.push_back(c.commit.subject);
    return out;
  }

  TempDir dir_;
  ParamQuery query_;
};

TEST_F(ParamHistoryTest, ListsOnlyCommitsThatChangeValues) {
  Commit("params.yaml", "lr: 0.01\nbatch: 64\n", "first");
  Commit("notes.txt", "x", "unrelated");
  Commit("params.yaml", "lr: 1e-2\nbatch: 64\n", "same value, new text");
  Commit("params.yaml", "lr: 0.001\nbatch: 64\n", "lower lr");
  Commit("other.yaml", "lr: 5\n", "not a config by the default globs");
  GitRepo repo = Open();
  auto history = ParamHistory(repo, {}, query_);
  ASSERT_TRUE(history.ok()) << history.status().message();
  EXPECT_EQ(Subjects(*history), (std::vector<std::string>{"lower lr", "first"}));
  ASSERT_EQ((*history)[0].files.size(), 1u);
  EXPECT_EQ(ParamChangeText((*history)[0].files[0].changes.at(0)), "lr: 0.01 -> 0.001");
  EXPECT_EQ((*history)[1].files[0].changes.size(), 2u);
}

TEST_F(ParamHistoryTest, KeyGlobsFilterAndParseErrorsAreNotFatal) {
  Commit("config.yaml", "opt:\n  lr: 0.1\nbatch: 1\n", "first");
  Commit("config.yaml", "opt:\n  lr: [0.1\n", "broken");
  Commit("config.yaml", "opt:\n  lr: 0.1\nbatch: 2\n", "fixed");
  GitRepo repo = Open();
  query_.key_globs = {"bat*"};
  auto history = ParamHistory(repo, {}, query_);
  ASSERT_TRUE(history.ok()) << history.status().message();
  EXPECT_EQ(Subjects(*history), (std::vector<std::string>{"fixed", "broken", "first"}));
  EXPECT_EQ(ParamChangeText((*history)[0].files[0].changes.at(0)), "batch: 1 -> 2");  // against "first"
  ASSERT_TRUE((*history)[1].files[0].error.has_value());
  EXPECT_EQ((*history)[1].files[0].error->rfind("config.yaml:", 0), 0u) << *(*history)[1].files[0].error;
}

TEST_F(ParamHistoryTest, RenamesAreFollowedAndRangesRespected) {
  const std::string a = Commit("config.yaml", "lr: 0.1\nx: 1\ny: 2\nz: 3\nw: 4\n", "first");
  MustGit(dir_.path(), "mv config.yaml hparams.yaml");
  Commit("hparams.yaml", "lr: 0.2\nx: 1\ny: 2\nz: 3\nw: 4\n", "rename");
  GitRepo repo = Open();
  auto history = ParamHistory(repo, {.range = a + "..HEAD"}, query_);
  ASSERT_TRUE(history.ok()) << history.status().message();
  ASSERT_EQ(Subjects(*history), (std::vector<std::string>{"rename"}));
  const FileParamChanges& f = (*history)[0].files.at(0);
  EXPECT_EQ(f.old_path, "config.yaml");
  EXPECT_EQ(f.path, "hparams.yaml");
  ASSERT_EQ(f.changes.size(), 1u);
  EXPECT_EQ(ParamChangeText(f.changes[0]), "lr: 0.1 -> 0.2");

  auto blame = BlameParam(repo, "HEAD", "x", query_, false);
  ASSERT_TRUE(blame.ok()) << blame.status().message();
  ASSERT_EQ(blame->steps.size(), 1u);
  EXPECT_EQ(blame->steps[0].commit.subject, "first");
  EXPECT_EQ(blame->steps[0].path, "config.yaml");
}

TEST_F(ParamHistoryTest, ValuesAtRevisionAndBetween) {
  const std::string a = Commit("config.py", "LR = 1e-3\nLAYERS = [1, 2]\n", "first");
  Commit("config.py", "LR = 0.001\nLAYERS = [1, 2, 3]\n", "second");
  GitRepo repo = Open();
  auto at = ParamsAtRevision(repo, a, query_);
  ASSERT_TRUE(at.ok()) << at.status().message();
  ASSERT_EQ(at->size(), 1u);
  EXPECT_EQ((*at)[0].params.at("LR"), 1e-3);
  auto between = ParamsBetween(repo, a, "HEAD", query_);
  ASSERT_TRUE(between.ok()) << between.status().message();
  ASSERT_EQ(between->size(), 1u);
  ASSERT_EQ((*between)[0].changes.size(), 1u);
  EXPECT_EQ((*between)[0].changes[0].key, "LAYERS");
}

TEST_F(ParamHistoryTest, BadRevisionsAndMissingKeys) {
  Commit("params.yaml", "a: 1\n", "first");
  GitRepo repo = Open();
  EXPECT_FALSE(ParamHistory(repo, {.range = "nope..HEAD"}, query_).ok());
  EXPECT_FALSE(ParamsAtRevision(repo, "nope", query_).ok());
  auto blame = BlameParam(repo, "HEAD", "b", query_, true);
  ASSERT_FALSE(blame.ok());
  EXPECT_EQ(blame.status().code(), Code::kNotFound);
}

}  // namespace
}  // namespace gitmodel
