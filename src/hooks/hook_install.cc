#include "hooks/hook_install.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <optional>
#include <sys/stat.h>

#include "base/atomic_file.h"
#include "git/repo_config.h"

namespace gitmodel {
namespace {

constexpr uint64_t kMaxHookBytes = 1 << 20;

bool Exists(const std::string& path) {
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0;
}

// The hook's text, or nullopt when it is not a regular file (a symlink to elsewhere, a directory)
// or too large to be ours: such hooks are treated as someone else's.
std::optional<std::string> ReadHookText(const std::string& path) {
  struct stat st;
  if (::lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  auto text = ReadSmallFile(path, kMaxHookBytes);
  if (!text.ok()) return std::nullopt;
  return std::move(*text);
}

Status Rename(const std::string& from, const std::string& to) {
  if (::rename(from.c_str(), to.c_str()) != 0)
    return IOError("cannot rename '{}' to '{}': {}", from, to, std::strerror(errno));
  return OkStatus();
}

Status WriteHook(const std::string& path, std::string_view name) {
  GM_RETURN_IF_ERROR(WriteFileAtomically(path, HookScript(name), 0755));
  // WriteFileAtomically keeps an existing file's mode; ours must be executable.
  if (::chmod(path.c_str(), 0755) != 0) return IOError("cannot make '{}' executable: {}", path, std::strerror(errno));
  return OkStatus();
}

Result<HookAction> InstallOne(const std::string& dir, const std::string& name) {
  HookAction a{name, dir + "/" + name, "", true, ""};
  const std::string chained = a.path + std::string(kChainedSuffix);
  if (Exists(chained)) a.chained = chained;
  if (!Exists(a.path)) {
    a.action = "installed";
  } else if (std::optional<std::string> text = ReadHookText(a.path); text && IsGitModelHook(*text)) {
    if (*text == HookScript(name)) return HookAction{name, a.path, "already installed", false, a.chained};
    a.action = "updated";
  } else {
    if (Exists(chained))
      return Status(Code::kConflict,
                    fmt::format("'{}' is not git-model's hook, and '{}' already holds an earlier original; move "
                                "one of them away, then install again",
                                a.path, chained));
    GM_RETURN_IF_ERROR(Rename(a.path, chained));
    a.chained = chained;
    a.action = "installed, chaining the existing hook";
  }
  GM_RETURN_IF_ERROR(WriteHook(a.path, name));
  return a;
}

Result<HookAction> UninstallOne(const std::string& dir, const std::string& name) {
  HookAction a{name, dir + "/" + name, "", false, ""};
  const std::string chained = a.path + std::string(kChainedSuffix);
  const bool has_chained = Exists(chained);
  if (Exists(a.path)) {
    std::optional<std::string> text = ReadHookText(a.path);
    if (!text || !IsGitModelHook(*text)) {
      a.action = "left alone: not a git-model hook";
      if (has_chained) a.chained = chained;
      return a;
    }
    if (::unlink(a.path.c_str()) != 0) return IOError("cannot remove '{}': {}", a.path, std::strerror(errno));
    a.changed = true;
    a.action = "removed";
  }
  if (has_chained) {
    GM_RETURN_IF_ERROR(Rename(chained, a.path));
    a.chained = chained;
    a.changed = true;
    a.action = a.action.empty() ? "restored the original hook" : "removed, restored the original hook";
  }
  if (a.action.empty()) a.action = "not installed";
  return a;
}

}  // namespace

Result<std::string> HooksDir(const GitRepo& repo) {
  // GitModelDir is "<common git dir>/git-model".
  const std::string git_model_dir = GitModelDir(repo);
  const std::string common_dir = git_model_dir.substr(0, git_model_dir.rfind('/'));
  GM_ASSIGN_OR_RETURN(std::optional<std::string> configured, ReadConfigPath(repo, "core.hooksPath"));
  if (!configured || configured->empty()) return common_dir + "/hooks";
  std::filesystem::path p(*configured);
  std::string base = WorkdirOf(repo);
  if (base.empty()) base = common_dir;
  std::string joined = (p.is_absolute() ? p : std::filesystem::path(base) / p).lexically_normal().string();
  while (joined.size() > 1 && joined.back() == '/') joined.pop_back();
  return joined;
}

Result<std::vector<HookAction>> InstallHooks(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return IOError("cannot create the hooks directory '{}': {}", dir, ec.message());
  std::vector<HookAction> actions;
  for (const std::string& name : ManagedHookNames()) {
    GM_ASSIGN_OR_RETURN(HookAction a, InstallOne(dir, name));
    actions.push_back(std::move(a));
  }
  return actions;
}

Result<std::vector<HookAction>> UninstallHooks(const std::string& dir) {
  std::vector<HookAction> actions;
  for (const std::string& name : ManagedHookNames()) {
    GM_ASSIGN_OR_RETURN(HookAction a, UninstallOne(dir, name));
    actions.push_back(std::move(a));
  }
  return actions;
}

}  // namespace gitmodel
