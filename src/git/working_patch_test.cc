// Round trips: change a working tree in every way git can see, capture the patch, apply it to a
// clean checkout of the recorded commit with the real `git apply`, compare the trees byte for byte.
#include "git/working_patch.h"

#include <git2.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <fmt/core.h>

#include <filesystem>
#include <string>

#include "git/git_state.h"
#include "git/repo.h"
#include "git/testing/must_git.h"
#include "git/testing/temp_repo.h"

namespace gitmodel {
namespace {

using testutil::FileSnapshot;
using testutil::Git;
using testutil::MustGit;
using testutil::ReadFile;
using testutil::ShellQuote;
using testutil::SnapshotTree;
using testutil::TempDir;
using testutil::WriteFile;
using Tree = std::map<std::string, FileSnapshot>;

std::string AllBytes() {
  std::string s;
  for (int i = 0; i < 256; ++i) s += static_cast<char>(i);
  return s + std::string("\0\0\xff\xfe tail", 9);
}

struct Applied {
  Tree clean;     // the checkout of the commit
  Tree patched;   // after `git apply <args> patch`
  Tree reversed;  // after `git apply -R patch` on top (only without --index)
};

// Applies `patch` with `git apply <apply_args>` to a clean checkout of `commit` from `source`
// ("" commit: a new empty repository), then reverses it.
Applied ApplyToCheckout(const std::string& source, const std::string& commit, const std::string& patch,
                        const std::string& apply_args) {
  TempDir scratch;
  std::string dst = scratch / "checkout";
  if (commit.empty()) {
    MustGit(scratch.path(), "init -q checkout");
  } else {
    MustGit(scratch.path(), "clone -q --no-checkout " + ShellQuote(source) + " checkout");
    MustGit(dst, "checkout -q --detach " + commit);
  }
  std::string patch_file = scratch / "capture.patch";
  WriteFile(patch_file, patch);
  Applied applied;
  applied.clean = SnapshotTree(dst);
  if (!patch.empty()) MustGit(dst, "apply " + apply_args + " " + ShellQuote(patch_file));
  applied.patched = SnapshotTree(dst);
  if (!patch.empty() && apply_args.empty()) MustGit(dst, "apply -R " + ShellQuote(patch_file));
  applied.reversed = SnapshotTree(dst);
  return applied;
}

void ExpectSameTrees(const Tree& want, const Tree& got) {
  for (const auto& [path, file] : want) {
    auto it = got.find(path);
    if (it == got.end()) {
      ADD_FAILURE() << "missing after apply: " << path;
    } else {
      EXPECT_EQ(it->second.symlink, file.symlink) << path;
      EXPECT_EQ(it->second.executable, file.executable) << path;
      EXPECT_TRUE(it->second.content == file.content) << path << ": content differs";
    }
  }
  for (const auto& [path, file] : got) EXPECT_TRUE(want.count(path)) << "extra after apply: " << path;
}

class GitPatchRoundTrip : public ::testing::Test {
 protected:
  void SetUp() override { MustGit(dir_.path(), "init -q ."); }
  std::string Path(std::string_view name) const { return dir_ / name; }
  void Write(std::string_view name, std::string_view bytes, bool exec = false) { WriteFile(Path(name), bytes, exec); }
  void Remove(std::string_view name) { std::filesystem::remove_all(Path(name)); }
  void Link(std::string_view target, std::string_view name) { ASSERT_EQ(symlink(std::string(target).c_str(), Path(name).c_str()), 0); }
  std::string Commit() {
    MustGit(dir_.path(), "add -A");
    MustGit(dir_.path(), "commit -q -m base");
    return MustGit(dir_.path(), "rev-parse HEAD").substr(0, 40);
  }
  GitState Capture(GitCaptureOptions options = {}) {
    Result<GitState> state = CaptureGitState(dir_.path(), options);
    EXPECT_TRUE(state.ok()) << state.status().message();
    return state.ok() ? *state : GitState{};
  }
  // The source tree minus what .gitignore hides (the checkout never has those files).
  Tree Expected() {
    Tree tree = SnapshotTree(dir_.path());
    std::erase_if(tree, [](const auto& kv) {
      const std::string& p = kv.first;
      return p.starts_with("build/") || (p.ends_with(".log") && p != "forced.log");
    });
    return tree;
  }
  // The patch WorkingPatch makes with other size limits for the fast large-file writer.
  std::string PatchWithLimits(const std::string& base, LargeFileLimits limits) {
    auto repo = DiscoverRepo(dir_.path());
    EXPECT_TRUE(repo.ok() && repo->has_value());
    Result<std::string> patch = WorkingPatch((*repo)->get(), base, limits);
    EXPECT_TRUE(patch.ok()) << patch.status().message();
    return patch.ok() ? *patch : "";
  }
  void ExpectRoundTrip(const GitState& state) {
    Tree want = Expected();
    Applied plain = ApplyToCheckout(dir_.path(), state.commit, state.patch, "");
    ExpectSameTrees(want, plain.patched);
    ExpectSameTrees(plain.clean, plain.reversed);  // the reverse hunks of binary patches work too
    ExpectSameTrees(want, ApplyToCheckout(dir_.path(), state.commit, state.patch, "--index").patched);
  }

  TempDir dir_;
};

TEST_F(GitPatchRoundTrip, EveryKindOfChangeReproducesTheWorkingTree) {
  Write(".gitignore", "*.log\nbuild/\n");
  Write("keep.txt", "unchanged\n");
  Write("modify.txt", "one\ntwo\nthree\n");
  Write("delete.txt", "bye\n");
  Write("staged_delete.txt", "staged bye\n");
  Write("chmod.sh", "#!/bin/sh\necho hi\n");
  Write("unexec.sh", "#!/bin/sh\n", /*exec=*/true);
  Write("bin.dat", AllBytes());
  Write("bin_delete.dat", AllBytes() + "x");
  Write("noeol.txt", "has eol\n");
  Write("gains_eol.txt", "no eol");
  Write("latin1.txt", "caf\xe9\n");
  Write("with space.txt", "space\n");
  Write("staged_mod.txt", "a\n");
  Write("rm_cached.txt", "still here\n");
  Write("empty_committed.txt", "");
  Write("crlf.txt", "a\r\nb\r\n");
  Write(".gitattributes", "*.eol text eol=crlf\n");
  Write("converted.eol", "x\r\ny\r\n");  // stored with LF, checked out with CRLF
  Write("to_link", "a file that becomes a symlink\n");
  Write("file_to_dir", "was a file\n");
  Write("dir_to_file/a.txt", "was in a dir\n");
  Link("keep.txt", "link");
  std::string base = Commit();

  Write("modify.txt", "one\nTWO\nthree\nfour\n");
  Remove("delete.txt");
  MustGit(dir_.path(), "rm -q staged_delete.txt");
  Write("chmod.sh", "#!/bin/sh\necho hi\n", /*exec=*/true);
  Write("unexec.sh", "#!/bin/sh\n", /*exec=*/false);
  Write("bin.dat", AllBytes() + AllBytes());
  Remove("bin_delete.dat");
  Write("noeol.txt", "lost eol");
  Write("gains_eol.txt", "no eol\n");
  Write("latin1.txt", "caf\xe9 cr\xe8me\n\xff\xfe\n");
  Write("with space.txt", "more space\n");
  Write("new dir/sub dir/new file.txt", "deep\n");
  Write("na\xc3\xafve.txt", "utf-8 name\n");
  Write("staged_new.txt", "staged\n");
  MustGit(dir_.path(), "add staged_new.txt");
  Write("staged_new.txt", "staged then edited\n");
  Write("staged_then_deleted.txt", "gone\n");
  MustGit(dir_.path(), "add staged_then_deleted.txt");
  Remove("staged_then_deleted.txt");
  Write("staged_mod.txt", "a\nb\n");
  MustGit(dir_.path(), "add staged_mod.txt");
  Write("staged_mod.txt", "a\nb\nc\n");
  MustGit(dir_.path(), "rm -q --cached rm_cached.txt");
  Write("rm_cached.txt", "still here, edited\n");
  Write("empty_new.txt", "");
  Remove("empty_committed.txt");
  Write("crlf.txt", "a\r\nB\r\nc");
  Write("converted.eol", "x\r\nY\r\nz\r\n");
  Remove("to_link");
  Link("keep.txt", "to_link");
  Remove("file_to_dir");
  Write("file_to_dir/inner.txt", "now a dir\n");
  Remove("dir_to_file");
  Write("dir_to_file", "now a file\n");
  Remove("link");
  Link("modify.txt", "link");
  Link("new dir", "new_link");
  Write("bin_new.dat", AllBytes(), /*exec=*/true);
  Write("ignored.log", "ignored\n");
  Write("build/out.o", "ignored too\n");
  Write("forced.log", "force-added\n");
  MustGit(dir_.path(), "add -f forced.log");
  Write("intent.txt", "intent to add\n");
  MustGit(dir_.path(), "add -N intent.txt");

  GitState state = Capture();
  ASSERT_TRUE(state.in_repo);
  EXPECT_EQ(state.commit, base);
  EXPECT_TRUE(state.dirty);
  EXPECT_EQ(state.patch.find("ignored"), std::string::npos);
  EXPECT_NE(state.patch.find("GIT binary patch"), std::string::npos);
  ExpectRoundTrip(state);

  // Every non-empty regular file through the large-file writer (binary literals and deltas).
  GitState fast = state;
  fast.patch = PatchWithLimits(state.commit, {.any_file = 0, .binary_file = 0});
  for (const char* name : {"modify.txt", "latin1.txt", "bin.dat", "staged_mod.txt", "converted.eol"}) {
    std::string header = fmt::format("diff --git a/{0} b/{0}\nindex ", name);
    size_t at = fast.patch.find(header);
    ASSERT_NE(at, std::string::npos) << name;
    EXPECT_EQ(fast.patch.substr(fast.patch.find('\n', at + header.size()) + 1, 17), "GIT binary patch\n") << name;
  }
  EXPECT_NE(fast.patch.find("\ndelta "), std::string::npos);  // bin.dat grew in place
  ExpectRoundTrip(fast);

  std::vector<std::string> untracked = {"bin_new.dat", "dir_to_file", "empty_new.txt", "file_to_dir/inner.txt",
                                        "na\xc3\xafve.txt", "new dir/sub dir/new file.txt", "new_link",
                                        "rm_cached.txt"};
  EXPECT_EQ(state.untracked, untracked);
  for (const char* path : {"modify.txt", "staged_delete.txt", "staged_new.txt", "staged_mod.txt", "forced.log",
                           "intent.txt", "rm_cached.txt", "link", "file_to_dir", "dir_to_file/a.txt"}) {
    EXPECT_TRUE(std::find(state.changed.begin(), state.changed.end(), path) != state.changed.end()) << path;
  }
  EXPECT_TRUE(std::is_sorted(state.changed.begin(), state.changed.end()));
}

TEST_F(GitPatchRoundTrip, LargeBinaryEditedInPlaceIsASmallDelta) {
  std::string big(3 << 20, '\0');
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>((i * 2654435761u) >> 13);
  Write("weights.bin", big);
  Write("dropped.bin", big.substr(0, 2 << 20));
  Commit();
  big[12345] ^= 1;
  big[2 << 20] ^= 1;
  Write("weights.bin", big + "appended");
  Remove("dropped.bin");
  Write("new.bin", big, /*exec=*/true);
  GitState state = Capture();
  EXPECT_LT(state.patch.find("new.bin"), state.patch.find("weights.bin"));
  size_t weights = state.patch.find("diff --git a/weights.bin");
  ASSERT_NE(weights, std::string::npos);
  EXPECT_LT(state.patch.size() - weights, 10000u) << "an in-place edit should be a small delta";
  ExpectRoundTrip(state);
  // libgit2's parser, which needs both hunks of a binary patch, reads it too. (It cannot read
  // binary patches of names with spaces, its own output included, so those are not tried here.)
  git_diff* parsed = nullptr;
  EXPECT_EQ(git_diff_from_buffer(&parsed, state.patch.data(), state.patch.size()), 0) << git_error_last()->message;
  EXPECT_EQ(git_diff_num_deltas(parsed), 3u);
  git_diff_free(parsed);
}

TEST_F(GitPatchRoundTrip, UnbornBranchPatchAddsEveryFile) {
  Write("a.txt", "a\n");
  Write("bin/tool", AllBytes(), /*exec=*/true);
  Write("staged.txt", "staged\n");
  Write("ignored.log", "no\n");
  Write(".gitignore", "*.log\n");
  MustGit(dir_.path(), "add staged.txt");
  GitState state = Capture();
  EXPECT_EQ(state.commit, "");
  EXPECT_EQ(state.branch, "main");
  EXPECT_FALSE(state.detached);
  EXPECT_TRUE(state.dirty);
  EXPECT_EQ(state.changed, std::vector<std::string>{"staged.txt"});
  EXPECT_EQ(state.describe, "");
  ExpectRoundTrip(state);
}

TEST_F(GitPatchRoundTrip, CleanTreeHasNoPatch) {
  Write("a.txt", "a\n");
  Write("ignored.log", "ignored files do not make a tree dirty\n");
  Write(".gitignore", "*.log\n");
  Commit();
  GitState state = Capture();
  EXPECT_FALSE(state.dirty);
  EXPECT_EQ(state.patch, "");
  EXPECT_TRUE(state.changed.empty());
  EXPECT_TRUE(state.untracked.empty());
}

TEST_F(GitPatchRoundTrip, TouchedButUnchangedFilesAreNotInThePatch) {
  Write("a.txt", "a\n");
  Commit();
  Write("a.txt", "a\n");  // same bytes, new mtime
  GitState state = Capture();
  EXPECT_EQ(state.patch, "");
  EXPECT_FALSE(state.dirty);
}

TEST_F(GitPatchRoundTrip, SameSizeEditRightAfterCommitIsSeen) {
  Write("a.txt", "aaaa\n");
  Commit();
  Write("a.txt", "bbbb\n");  // same size, likely the same mtime tick as the index
  GitState state = Capture();
  EXPECT_NE(state.patch.find("+bbbb"), std::string::npos) << state.patch;
  ExpectRoundTrip(state);
}

TEST_F(GitPatchRoundTrip, OverriddenCommitIsThePatchBase) {
  Write("a.txt", "v1\n");
  std::string first = Commit();
  Write("a.txt", "v2\n");
  Write("b.txt", "b\n");
  Commit();
  Write("a.txt", "v3\n");
  GitState state = Capture({.commit_override = first.substr(0, 10), .exclude_paths = {}});
  EXPECT_TRUE(state.commit_overridden);
  EXPECT_EQ(state.commit, first);
  EXPECT_EQ(state.changed, std::vector<std::string>{"a.txt"});  // status is still against HEAD
  ExpectRoundTrip(state);
}

}  // namespace
}  // namespace gitmodel
