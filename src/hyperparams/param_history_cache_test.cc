#include "hyperparams/param_history_cache.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "base/atomic_file.h"
#include "git/testing/must_git.h"
#include "hyperparams/param_cache_format.h"
#include "hyperparams/project_config.h"

namespace gitmodel {
namespace {

using testutil::MustGit;
using testutil::ShellQuote;
using testutil::TempDir;
using testutil::WriteFile;

class ParamHistoryCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    MustGit(dir_.path(), "init -q .");
    query_.config_globs = DefaultConfigGlobs();
    Commit("params.yaml", "lr: 0.01\nbatch: 64\n", "first");
    Commit("params.yaml", "lr: 0.001\nbatch: 64\nwd: .nan\n", "lower lr");
    Commit("notes.txt", "x", "unrelated");
  }

  void Commit(const std::string& file, const std::string& text, const std::string& subject) {
    WriteFile(dir_ / file, text);
    MustGit(dir_.path(), "add -A");
    MustGit(dir_.path(), "commit -q -m " + ShellQuote(subject));
  }

  GitRepo Open() {
    auto repo = DiscoverRepo(dir_.path());
    EXPECT_TRUE(repo.ok() && *repo);
    return std::move(**repo);
  }

  // The cached history, checked against an uncached walk of the same query.
  ParamCacheUse Run(const HistoryOptions& walk = {}) {
    GitRepo repo = Open();
    auto cached = CachedParamHistory(repo, walk, query_, cache_dir_);
    EXPECT_TRUE(cached.ok()) << cached.status().message();
    auto plain = ParamHistory(repo, walk, query_);
    EXPECT_TRUE(plain.ok()) << plain.status().message();
    if (!cached.ok() || !plain.ok()) return ParamCacheUse::kBypassed;
    EXPECT_EQ(Render(cached->commits), Render(*plain));
    return cached->use;
  }

  static std::string Render(const std::vector<ParamCommit>& commits) {
    std::string out;
    for (const ParamCommit& c : commits) {
      out += c.commit.id + " " + c.commit.subject + " " + std::to_string(c.commit.time) + "\n";
      for (const FileParamChanges& f : c.files) {
        out += "  " + f.old_path + " -> " + f.path + (f.error ? " error " + *f.error : "") + "\n";
        for (const ParamChange& change : f.changes) out += "    " + ParamChangeText(change) + "\n";
      }
    }
    return out;
  }

  std::vector<std::filesystem::path> CacheFiles() {
    std::vector<std::filesystem::path> out;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(cache_dir_, ec)) out.push_back(entry.path());
    return out;
  }

  TempDir dir_;
  std::string cache_dir_ = dir_ / ".git/git-model/params-cache";
  ParamQuery query_;
};

TEST_F(ParamHistoryCacheTest, FirstRunWritesSecondRunReads) {
  EXPECT_EQ(Run(), ParamCacheUse::kRebuilt);
  ASSERT_EQ(CacheFiles().size(), 1u);
  EXPECT_EQ(Run(), ParamCacheUse::kHit);
  query_.key_globs = {"l*"};  // key globs are applied when reading: same file
  EXPECT_EQ(Run(), ParamCacheUse::kHit);
  EXPECT_EQ(CacheFiles().size(), 1u);
}

TEST_F(ParamHistoryCacheTest, HitKeepsNonFiniteFloats) {
  Run();
  GitRepo repo = Open();
  auto cached = CachedParamHistory(repo, {}, query_, cache_dir_);
  ASSERT_TRUE(cached.ok());
  ASSERT_EQ(cached->use, ParamCacheUse::kHit);
  EXPECT_EQ(ParamChangeText(cached->commits.at(0).files.at(0).changes.at(1)), "wd: (added) nan");
}

TEST_F(ParamHistoryCacheTest, NewCommitsExtendIt) {
  Run();
  Commit("params.yaml", "lr: 0.002\nbatch: 64\n", "raise lr");
  Commit("other.txt", "y", "unrelated 2");
  EXPECT_EQ(Run(), ParamCacheUse::kExtended);
  EXPECT_EQ(Run(), ParamCacheUse::kHit);
}

TEST_F(ParamHistoryCacheTest, MergedSideBranchFromOlderBaseRebuilds) {
  Run();
  MustGit(dir_.path(), "checkout -q -b side HEAD~2");
  Commit("params.yaml", "lr: 0.5\nbatch: 64\n", "side lr");
  MustGit(dir_.path(), "checkout -q -");
  MustGit(dir_.path(), "merge -q --no-edit -X ours side");
  EXPECT_EQ(Run(), ParamCacheUse::kRebuilt);
  EXPECT_EQ(Run(), ParamCacheUse::kHit);
}

TEST_F(ParamHistoryCacheTest, RewrittenHistoryInvalidatesIt) {
  Run();
  MustGit(dir_.path(), "reset -q --hard HEAD~1");
  WriteFile(dir_ / "params.yaml", "lr: 0.003\nbatch: 64\n");
  MustGit(dir_.path(), "commit -q -a --amend -m amended");
  EXPECT_EQ(Run(), ParamCacheUse::kRebuilt);
  EXPECT_EQ(Run(), ParamCacheUse::kHit);
}

TEST_F(ParamHistoryCacheTest, OlderRevisionAndFirstParentHaveTheirOwnAnswers) {
  Run();
  EXPECT_EQ(Run({.range = "HEAD~2"}), ParamCacheUse::kRebuilt);  // not a descendant of the cached tip
  EXPECT_EQ(Run({.range = "HEAD~2..HEAD"}), ParamCacheUse::kBypassed);
  EXPECT_EQ(Run({.range = "HEAD", .first_parent = true}), ParamCacheUse::kRebuilt);
  EXPECT_EQ(CacheFiles().size(), 2u);
}

TEST_F(ParamHistoryCacheTest, CorruptOrForeignFilesAreIgnored) {
  Run();
  const std::string path = CacheFiles().at(0).string();
  const std::string good = *ReadSmallFile(path, 1 << 20);
  std::string other_version = good;
  other_version[8] = 99;  // the u32 after the magic
  for (const std::string& bad : {std::string(""), good.substr(0, good.size() / 2), std::string("[1,2]"),
                                 other_version, good + "x", std::string("\xff\xfe garbage")}) {
    ASSERT_TRUE(WriteFileAtomically(path, bad).ok());
    EXPECT_EQ(Run(), ParamCacheUse::kRebuilt) << bad;
  }
  std::filesystem::remove(path);
  std::filesystem::create_directories(path);  // not a file
  EXPECT_EQ(Run(), ParamCacheUse::kRebuilt);
}

TEST_F(ParamHistoryCacheTest, OverTheSizeBoundIsNotWritten) {
  GitRepo repo = Open();
  auto cached = CachedParamHistory(repo, {}, query_, cache_dir_, 10);
  ASSERT_TRUE(cached.ok());
  EXPECT_EQ(cached->commits.size(), 2u);
  EXPECT_TRUE(CacheFiles().empty());
}

TEST_F(ParamHistoryCacheTest, BrokenConfigBeforeTheCachedTipRebuilds) {
  Commit("params.yaml", "lr: [unclosed\n", "break");
  Run();
  Commit("params.yaml", "lr: 0.004\nbatch: 64\n", "fix");  // compared with "lower lr", before the tip
  EXPECT_EQ(Run(), ParamCacheUse::kRebuilt);
}

TEST_F(ParamHistoryCacheTest, RenameFromAnUnselectedPathRebuilds) {
  query_.files = {"cfg/train.yaml"};
  Commit("old.yaml", "lr: 0.1\nbatch: 1\nsteps: 100\nwarmup: 10\n", "old name");
  Run();
  MustGit(dir_.path(), "mv old.yaml cfg-tmp.yaml");
  std::filesystem::create_directories(dir_ / "cfg");
  MustGit(dir_.path(), "mv cfg-tmp.yaml cfg/train.yaml");
  MustGit(dir_.path(), "commit -q -m moved");
  EXPECT_EQ(Run(), ParamCacheUse::kRebuilt);
}

}  // namespace
}  // namespace gitmodel
