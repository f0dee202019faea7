#include "git/file_history.h"

#include <gtest/gtest.h>

#include "git/testing/must_git.h"

namespace gitmodel {
namespace {

using testutil::MustGit;
using testutil::ShellQuote;
using testutil::TempDir;
using testutil::WriteFile;

class YamlFiles : public PathSelector {
 public:
  bool Selects(std::string_view path) const override { return path.ends_with(".yaml"); }
  bool MayContain(std::string_view dir) const override { return dir != "skip"; }
};

class FileHistoryTest : public ::testing::Test {
 protected:
  void SetUp() override { MustGit(dir_.path(), "init -q ."); }

  void Commit(const std::string& file, const std::string& text, const std::string& subject) {
    WriteFile(dir_ / file, text);
    MustGit(dir_.path(), "add -A");
    MustGit(dir_.path(), "commit -q -m " + ShellQuote(subject));
  }

  // Subjects of the visited commits and their first delta's "old_path>new_path".
  std::vector<std::string> Walk(const HistoryOptions& options, Status* status = nullptr) {
    auto repo = DiscoverRepo(dir_.path());
    EXPECT_TRUE(repo.ok() && *repo);
    YamlFiles selector;
    SelectedFiles files(**repo, selector);
    std::vector<std::string> out;
    Status s = WalkFileHistory(**repo, options, files, [&](const CommitMeta& c, const std::vector<FileDelta>& d) {
      out.push_back(c.subject + " " + d[0].old_path + ">" + d[0].new_path);
      return OkStatus();
    });
    if (status) *status = s;
    else EXPECT_TRUE(s.ok()) << s.message();
    return out;
  }

  TempDir dir_;
};

TEST_F(FileHistoryTest, OnlyCommitsChangingSelectedFiles) {
  Commit("a.yaml", "x: 1\n", "add a");
  Commit("notes.txt", "n", "notes");
  Commit("skip/b.yaml", "x: 1\n", "skipped dir");
  Commit("sub/c.yaml", "x: 1\n", "add c");
  Commit("a.yaml", "x: 2\n", "change a");
  EXPECT_EQ(Walk({}), (std::vector<std::string>{"change a a.yaml>a.yaml", "add c >sub/c.yaml", "add a >a.yaml"}));
  EXPECT_EQ(Walk({.range = "HEAD~2.."}), (std::vector<std::string>{"change a a.yaml>a.yaml", "add c >sub/c.yaml"}));
  EXPECT_EQ(Walk({.range = "HEAD~1"}).size(), 2u);
}

TEST_F(FileHistoryTest, MergesCompareWithTheFirstParent) {
  Commit("a.yaml", "x: 1\n", "base");
  MustGit(dir_.path(), "checkout -q -b side");
  Commit("a.yaml", "x: 2\n", "side change");
  MustGit(dir_.path(), "checkout -q -");
  Commit("other.txt", "o", "main change");
  MustGit(dir_.path(), "merge -q --no-ff -m merge side");
  EXPECT_EQ(Walk({}), (std::vector<std::string>{"merge a.yaml>a.yaml", "side change a.yaml>a.yaml", "base >a.yaml"}));
  EXPECT_EQ(Walk({.first_parent = true}), (std::vector<std::string>{"merge a.yaml>a.yaml", "base >a.yaml"}));
}

TEST_F(FileHistoryTest, RenamesArePairedAndFollowed) {
  Commit("a.yaml", "x: 1\ny: 2\nz: 3\nw: 4\n", "add");
  MustGit(dir_.path(), "mv a.yaml b.txt");
  Commit("b.txt", "x: 1\ny: 2\nz: 3\nw: 4\n", "to txt");  // leaves the selection
  MustGit(dir_.path(), "mv b.txt c.yaml");
  Commit("c.yaml", "x: 1\ny: 2\nz: 3\nw: 5\n", "back to yaml");
  EXPECT_EQ(Walk({}), (std::vector<std::string>{"back to yaml b.txt>c.yaml", "to txt a.yaml>b.txt", "add >a.yaml"}));  // the old name is followed
}

TEST_F(FileHistoryTest, BadRanges) {
  Commit("a.yaml", "x: 1\n", "base");
  Status status;
  Walk({.range = "nope"}, &status);
  EXPECT_EQ(status.code(), Code::kNotFound);
  Walk({.range = "HEAD...HEAD"}, &status);
  EXPECT_EQ(status.code(), Code::kInvalidArgument);
}

}  // namespace
}  // namespace gitmodel
