#include "git/attributes_file.h"

#include <gtest/gtest.h>

#include <sys/stat.h>

#include "git/repo.h"
#include "git/testing/must_git.h"
#include "git/testing/temp_repo.h"

namespace gitmodel {
namespace {

using testutil::MustGit;
using testutil::ReadFile;
using testutil::TempDir;
using testutil::WriteFile;

const std::vector<std::string> kLines = {"*.pt diff=git-model", "*.pth diff=git-model"};

TEST(AddAttributeLines, CreatesTheFileThenAddsNothingTwice) {
  TempDir dir;
  auto added = AddAttributeLines(dir / ".gitattributes", kLines);
  ASSERT_TRUE(added.ok()) << added.status().message();
  EXPECT_EQ(*added, kLines);
  EXPECT_EQ(ReadFile(dir / ".gitattributes"), "*.pt diff=git-model\n*.pth diff=git-model\n");
  added = AddAttributeLines(dir / ".gitattributes", kLines);
  ASSERT_TRUE(added.ok());
  EXPECT_TRUE(added->empty());
  EXPECT_EQ(ReadFile(dir / ".gitattributes"), "*.pt diff=git-model\n*.pth diff=git-model\n");
}

TEST(AddAttributeLines, KeepsExistingLinesAndEndsTheLastOne) {
  TempDir dir;
  WriteFile(dir / ".gitattributes", "*.txt text\n  *.pth\t diff=git-model  \n*.bin binary", /*executable=*/false);
  ::chmod((dir / ".gitattributes").c_str(), 0640);
  auto added = AddAttributeLines(dir / ".gitattributes", kLines);
  ASSERT_TRUE(added.ok());
  EXPECT_EQ(*added, std::vector<std::string>{"*.pt diff=git-model"});
  EXPECT_EQ(ReadFile(dir / ".gitattributes"), "*.txt text\n  *.pth\t diff=git-model  \n*.bin binary\n*.pt diff=git-model\n");
  struct stat st;
  ASSERT_EQ(::stat((dir / ".gitattributes").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0640u);
}

TEST(AttributesPath, IsAtTheWorkingTreeRoot) {
  TempDir dir, bare;
  MustGit(dir.path(), "init -q .");
  MustGit(bare.path(), "init -q --bare .");
  auto repo = DiscoverRepo(dir / "sub/x.pth");
  ASSERT_TRUE(repo.ok() && repo->has_value());
  EXPECT_EQ(*AttributesPath(**repo), dir / ".gitattributes");
  auto bare_repo = DiscoverRepo(bare.path());
  ASSERT_TRUE(bare_repo.ok() && bare_repo->has_value());
  EXPECT_FALSE(AttributesPath(**bare_repo).ok());
}

TEST(AddAttributeLines, GitSeesTheDriver) {
  TempDir dir;
  MustGit(dir.path(), "init -q .");
  ASSERT_TRUE(AddAttributeLines(dir / ".gitattributes", kLines).ok());
  EXPECT_EQ(MustGit(dir.path(), "check-attr diff -- models/ckpt.pth"), "models/ckpt.pth: diff: git-model\n");
}

}  // namespace
}  // namespace gitmodel
