#include "git/tree_changes.h"

#include <gtest/gtest.h>

#include "git/repo.h"
#include "git/testing/must_git.h"

namespace gitmodel {
namespace {

TEST(TreeChangesTest, ListsFilesWithLineCountsAndRenames) {
  testutil::TempDir dir;
  testutil::MustGit(dir.path(), "init -q");
  testutil::WriteFile(dir / "train.py", "a\nb\nc\n");
  testutil::WriteFile(dir / "old.txt", "one\ntwo\nthree\nfour\nfive\n");
  testutil::WriteFile(dir / "gone.txt", "x\n");
  testutil::MustGit(dir.path(), "add -A");
  testutil::MustGit(dir.path(), "commit -qm one");
  testutil::WriteFile(dir / "train.py", "a\nB\nc\nd\n");
  testutil::MustGit(dir.path(), "mv old.txt new.txt");
  testutil::MustGit(dir.path(), "rm -q gone.txt");
  testutil::WriteFile(dir / "added.bin", std::string("\0\1\2", 3));
  testutil::MustGit(dir.path(), "add -A");
  testutil::MustGit(dir.path(), "commit -qm two");
  Result<std::optional<GitRepo>> repo = DiscoverRepo(dir.path());
  ASSERT_TRUE(repo.ok() && *repo);
  Result<std::vector<FileChange>> changes = ChangesBetween(**repo, "HEAD~1", "HEAD");
  ASSERT_TRUE(changes.ok()) << changes.status().message();
  ASSERT_EQ(changes->size(), 4u);
  EXPECT_EQ((*changes)[0].path, "added.bin");
  EXPECT_TRUE((*changes)[0].binary);
  EXPECT_EQ((*changes)[1].path, "gone.txt");
  EXPECT_EQ((*changes)[1].status, 'D');
  EXPECT_EQ((*changes)[2].path, "new.txt");
  EXPECT_EQ((*changes)[2].status, 'R');
  EXPECT_EQ((*changes)[3].path, "train.py");
  EXPECT_EQ((*changes)[3].added_lines, 2u);
  EXPECT_EQ((*changes)[3].deleted_lines, 1u);
  EXPECT_EQ(ChangesBetween(**repo, "HEAD", "HEAD")->size(), 0u);
  EXPECT_EQ(ChangesBetween(**repo, "nope", "HEAD").status().code(), Code::kNotFound);
}

}  // namespace
}  // namespace gitmodel
