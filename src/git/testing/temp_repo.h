// Test-only: hermetic temporary directories and git repositories driven by the real `git`
// (GIT_CONFIG_NOSYSTEM=1, a private HOME, fixed author and committer), and snapshots of file
// trees for byte-for-byte comparison.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace gitmodel::testutil {

// A fresh directory under $TMPDIR (or /tmp), removed with its contents on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string operator/(std::string_view name) const { return path_ + "/" + std::string(name); }

 private:
  std::string path_;
};

// The empty HOME all test git commands share. Also points libgit2's global, XDG and system config
// search paths there, so in-process reads ignore the user's own configuration.
const std::string& HermeticHome();

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

// Runs `git <args>` in `dir` (args is shell text; quote paths with ShellQuote) with the hermetic
// environment, author "A U Thor <author@example.com>" and committer dates fixed (unless `args`
// sets its own), and init.defaultBranch=main.
CommandResult Git(const std::string& dir, const std::string& args);

std::string ShellQuote(std::string_view text);

// Writes `bytes` to `path` (creating parent directories) and sets its mode to 0755 or 0644.
void WriteFile(const std::string& path, std::string_view bytes, bool executable = false);
std::string ReadFile(const std::string& path);

struct FileSnapshot {
  bool symlink = false;
  bool executable = false;
  std::string content;  // file bytes, or the link target
  bool operator==(const FileSnapshot&) const = default;
};

// Every file and symlink under `root` except in `.git`, keyed by root-relative path ('/'-separated).
// Directories appear only through their files, as in git.
std::map<std::string, FileSnapshot> SnapshotTree(const std::string& root);

}  // namespace gitmodel::testutil
