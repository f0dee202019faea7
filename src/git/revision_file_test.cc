#include "git/revision_file.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "git/testing/must_git.h"
#include "git/testing/temp_repo.h"

namespace gitmodel {
namespace {

namespace fs = std::filesystem;
using testutil::Git;
using testutil::MustGit;
using testutil::ReadFile;
using testutil::TempDir;
using testutil::WriteFile;

void ExpectSplit(std::string_view arg, std::string_view revision, std::string_view path, int stage = 0) {
  std::optional<RevisionPath> spec = ParseRevisionPath(arg);
  ASSERT_TRUE(spec.has_value()) << arg;
  EXPECT_EQ(spec->revision, revision) << arg;
  EXPECT_EQ(spec->path, path) << arg;
  EXPECT_EQ(spec->stage, stage) << arg;
}

TEST(ParseRevisionPath, SplitsAtTheFirstColonOutsideBraces) {
  ExpectSplit("HEAD~2:ckpt.pth", "HEAD~2", "ckpt.pth");
  ExpectSplit("v1.0:models/a:b.pth", "v1.0", "models/a:b.pth");
  ExpectSplit("main@{2024-01-01 10:00:00}:ckpt.pth", "main@{2024-01-01 10:00:00}", "ckpt.pth");
  ExpectSplit("HEAD^{tree}:./x.pth", "HEAD^{tree}", "./x.pth");
  ExpectSplit("HEAD:", "HEAD", "");
  ExpectSplit(":ckpt.pth", "", "ckpt.pth");
  ExpectSplit(":2:ckpt.pth", "", "ckpt.pth", 2);
  ExpectSplit(":7:ckpt.pth", "", "7:ckpt.pth");
  EXPECT_FALSE(ParseRevisionPath("ckpt.pth").has_value());
  EXPECT_FALSE(ParseRevisionPath("").has_value());
}

TEST(RevisionPathArgument, AnExistingFileWins) {
  TempDir dir;
  WriteFile(dir / "HEAD:x.pth", "x");
  EXPECT_FALSE(RevisionPathArgument(dir / "HEAD:x.pth").has_value());
  EXPECT_TRUE(RevisionPathArgument(dir / "HEAD:y.pth").has_value());
  EXPECT_FALSE(RevisionPathArgument(dir / "plain.pth").has_value());
}

class RevisionFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    MustGit(repo_.path(), "init -q .");
    WriteFile(repo_ / "models/ckpt.pth", "first");
    WriteFile(repo_ / "top.bin", "top");
    MustGit(repo_.path(), "add -A");
    MustGit(repo_.path(), "commit -q -m one");
    WriteFile(repo_ / "models/ckpt.pth", "second");
    MustGit(repo_.path(), "commit -q -am two");
  }

  RevisionFile MustMaterialize(std::string_view arg, const std::string& cwd) {
    auto file = MaterializeRevisionFile(*ParseRevisionPath(arg), cwd);
    EXPECT_TRUE(file.ok()) << arg << ": " << file.status().message();
    if (!file.ok()) std::abort();
    return std::move(file).value();
  }

  Status Error(std::string_view arg, const std::string& cwd) {
    auto file = MaterializeRevisionFile(*ParseRevisionPath(arg), cwd);
    EXPECT_FALSE(file.ok()) << arg;
    return file.ok() ? OkStatus() : file.status();
  }

  TempDir repo_;
};

TEST_F(RevisionFileTest, WritesTheBlobUnderItsBaseNameAndRemovesItAfter) {
  std::string path, dir;
  {
    RevisionFile file = MustMaterialize("HEAD~1:models/ckpt.pth", repo_.path());
    path = file.path();
    dir = fs::path(path).parent_path().string();
    EXPECT_EQ(fs::path(path).filename(), "ckpt.pth");
    EXPECT_NE(dir, repo_ / "models");
    EXPECT_EQ(ReadFile(path), "first");
    EXPECT_EQ(file.repo_path(), "models/ckpt.pth");
    EXPECT_EQ(file.size(), 5u);
    EXPECT_EQ(file.blob_id() + "\n", MustGit(repo_.path(), "rev-parse HEAD~1:models/ckpt.pth"));
    EXPECT_EQ(fs::status(dir).permissions() & fs::perms::all, fs::perms::owner_all);
  }
  EXPECT_FALSE(fs::exists(path));
  EXPECT_FALSE(fs::exists(dir));
}

TEST_F(RevisionFileTest, MovingKeepsTheFileUntilTheLastOwnerGoes) {
  std::string path;
  {
    RevisionFile moved = [&] {
      RevisionFile file = MustMaterialize("HEAD:models/ckpt.pth", repo_.path());
      path = file.path();
      return file;
    }();
    RevisionFile target = MustMaterialize("HEAD:top.bin", repo_.path());
    std::string replaced = target.path();
    target = std::move(moved);
    EXPECT_FALSE(fs::exists(replaced));
    EXPECT_EQ(ReadFile(path), "second");
  }
  EXPECT_FALSE(fs::exists(path));
}

TEST_F(RevisionFileTest, DotPathsAreRelativeToTheCurrentDirectory) {
  std::string models = repo_ / "models";
  EXPECT_EQ(ReadFile(MustMaterialize("HEAD:./ckpt.pth", models).path()), "second");
  EXPECT_EQ(ReadFile(MustMaterialize("HEAD~1:../models/ckpt.pth", models).path()), "first");
  EXPECT_EQ(ReadFile(MustMaterialize("HEAD:../top.bin", models).path()), "top");
  // Without ./ the path is from the root, wherever the current directory is.
  EXPECT_EQ(ReadFile(MustMaterialize("HEAD:top.bin", models).path()), "top");
  EXPECT_EQ(Error("HEAD:../../x.pth", models).code(), Code::kInvalidArgument);
}

TEST_F(RevisionFileTest, IndexFormReadsTheStagedFile) {
  WriteFile(repo_ / "models/ckpt.pth", "staged");
  MustGit(repo_.path(), "add models/ckpt.pth");
  WriteFile(repo_ / "models/ckpt.pth", "working");
  EXPECT_EQ(ReadFile(MustMaterialize(":models/ckpt.pth", repo_.path()).path()), "staged");
  EXPECT_EQ(Error(":absent.pth", repo_.path()).code(), Code::kNotFound);
}

TEST_F(RevisionFileTest, ErrorsNameTheArgumentAndWhatIsWrong) {
  Status unknown = Error("nope:models/ckpt.pth", repo_.path());
  EXPECT_EQ(unknown.code(), Code::kInvalidArgument);
  EXPECT_EQ(unknown.message(), "nope:models/ckpt.pth: unknown revision 'nope'");
  EXPECT_EQ(Error("bad:top.bin", repo_.path()).message(), "bad:top.bin: unknown revision 'bad'");  // short hex
  Status missing = Error("HEAD:absent.pth", repo_.path());
  EXPECT_EQ(missing.code(), Code::kNotFound);
  EXPECT_EQ(missing.message(), "HEAD:absent.pth: path 'absent.pth' does not exist in 'HEAD'");
  Status too_early = Error("HEAD~5:top.bin", repo_.path());
  EXPECT_EQ(too_early.code(), Code::kInvalidArgument);
  Status directory = Error("HEAD:models", repo_.path());
  EXPECT_EQ(directory.message(), "HEAD:models: 'models' is a directory in 'HEAD', not a file");
  EXPECT_EQ(Error("HEAD:", repo_.path()).code(), Code::kInvalidArgument);
  std::string blob = MustGit(repo_.path(), "rev-parse HEAD:top.bin");
  blob.pop_back();
  EXPECT_NE(Error(blob + ":x", repo_.path()).message().find("names no commit or tree"), std::string::npos);
}

TEST_F(RevisionFileTest, SubmodulesAndSymbolicLinksAreNotFiles) {
  std::string head = MustGit(repo_.path(), "rev-parse HEAD");
  head.pop_back();
  MustGit(repo_.path(), "update-index --add --cacheinfo 160000," + head + ",vendor/sub");
  fs::create_symlink("top.bin", repo_ / "link.bin");
  MustGit(repo_.path(), "add link.bin");
  MustGit(repo_.path(), "commit -q -m three");
  EXPECT_NE(Error("HEAD:vendor/sub", repo_.path()).message().find("is a submodule"), std::string::npos);
  EXPECT_NE(Error("HEAD:link.bin", repo_.path()).message().find("is a symbolic link"), std::string::npos);
}

TEST(RevisionFile, OutsideARepositoryIsAnError) {
  TempDir dir;
  if (Git(dir.path(), "rev-parse --git-dir").exit_code == 0) GTEST_SKIP() << "$TMPDIR is inside a repository";
  auto file = MaterializeRevisionFile(*ParseRevisionPath("HEAD:x.pth"), dir.path());
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.status().message(), "HEAD:x.pth: not in a git repository (REV:PATH names a file at a git revision)");
}

TEST(ResolveFileArgument, PlainPathsPassThrough) {
  auto arg = ResolveFileArgument("/no/such/dir/ckpt.pth", ".");
  ASSERT_TRUE(arg.ok());
  EXPECT_EQ(arg->path, "/no/such/dir/ckpt.pth");
  EXPECT_FALSE(arg->revision.has_value());
}

TEST_F(RevisionFileTest, ResolveFileArgumentMaterialisesRevisionPaths) {
  auto arg = ResolveFileArgument("HEAD:top.bin", repo_.path());
  ASSERT_TRUE(arg.ok()) << arg.status().message();
  ASSERT_TRUE(arg->revision.has_value());
  EXPECT_EQ(arg->path, arg->revision->path());
  EXPECT_EQ(ReadFile(arg->path), "top");
}

}  // namespace
}  // namespace gitmodel
