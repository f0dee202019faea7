#include "git/testing/temp_repo.h"

#include <git2.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace gitmodel::testutil {
namespace fs = std::filesystem;

TempDir::TempDir() {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/gitmodel-test-XXXXXX";
  char* made = mkdtemp(pattern.data());
  path_ = made ? fs::canonical(made).string() : "";
}

TempDir::~TempDir() {
  std::error_code ec;
  if (!path_.empty()) fs::remove_all(path_, ec);
}

const std::string& HermeticHome() {
  static TempDir home;  // removed at exit
  static const bool configured = [] {
    git_libgit2_init();
    for (int level : {GIT_CONFIG_LEVEL_GLOBAL, GIT_CONFIG_LEVEL_XDG, GIT_CONFIG_LEVEL_SYSTEM,
                      GIT_CONFIG_LEVEL_PROGRAMDATA}) {
      git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, level, home.path().c_str());
    }
    return true;
  }();
  (void)configured;
  return home.path();
}

std::string ShellQuote(std::string_view text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

CommandResult Git(const std::string& dir, const std::string& args) {
  const std::string& home = HermeticHome();
  std::string command =
      "cd " + ShellQuote(dir) + " && env -u GIT_DIR -u GIT_WORK_TREE -u GIT_INDEX_FILE -u GIT_CEILING_DIRECTORIES " +
      "GIT_CONFIG_NOSYSTEM=1 HOME=" + ShellQuote(home) + " XDG_CONFIG_HOME=" + ShellQuote(home + "/.config") +
      " GIT_AUTHOR_NAME='A U Thor' GIT_AUTHOR_EMAIL=author@example.com"
      " GIT_COMMITTER_NAME='C O Mitter' GIT_COMMITTER_EMAIL=committer@example.com"
      " GIT_AUTHOR_DATE='2005-04-07T15:13:13-0700' GIT_COMMITTER_DATE='2005-04-07T15:13:13-0700'"
      " GIT_CONFIG_COUNT=2 GIT_CONFIG_KEY_0=init.defaultBranch GIT_CONFIG_VALUE_0=main"
      " GIT_CONFIG_KEY_1=protocol.file.allow GIT_CONFIG_VALUE_1=always"
      " git " + args + " 2>&1";
  CommandResult result;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return result;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) result.output.append(buffer, n);
  int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

void WriteFile(const std::string& path, std::string_view bytes, bool executable) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream(path, std::ios::binary | std::ios::trunc).write(bytes.data(), bytes.size());
  chmod(path.c_str(), executable ? 0755 : 0644);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::map<std::string, FileSnapshot> SnapshotTree(const std::string& root) {
  std::map<std::string, FileSnapshot> files;
  auto it = fs::recursive_directory_iterator(root);
  for (const fs::directory_entry& entry : it) {
    std::string rel = fs::relative(entry.path(), root).generic_string();
    if (rel == ".git" && entry.is_directory()) {
      it.disable_recursion_pending();
      continue;
    }
    FileSnapshot file;
    if (entry.is_symlink()) {
      file.symlink = true;
      file.content = fs::read_symlink(entry.path()).string();
    } else if (entry.is_regular_file()) {
      file.executable = (fs::status(entry.path()).permissions() & fs::perms::owner_exec) != fs::perms::none;
      file.content = ReadFile(entry.path().string());
    } else {
      continue;
    }
    files[rel] = std::move(file);
  }
  return files;
}

}  // namespace gitmodel::testutil
