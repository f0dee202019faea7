#include "git/config_file.h"

#include <filesystem>
#include <system_error>

#include "git/git_handles.h"

namespace gitmodel {
namespace {

bool IsFile(const std::string& path) {
  std::error_code ec;
  return std::filesystem::is_regular_file(path, ec);
}

// The first directory of libgit2's search path for `level` ($HOME for the global level).
Result<std::string> FirstSearchDir(git_config_level_t level) {
  GitBuf buf;
  int error = git_libgit2_opts(GIT_OPT_GET_SEARCH_PATH, level, buf.get());
  if (error < 0) return GitError(error, "reading libgit2's configuration search path");
  std::string_view dirs = buf.view();
  std::string first(dirs.substr(0, dirs.find(GIT_PATH_LIST_SEPARATOR)));
  if (first.empty()) return NotFound("no home directory for the global git configuration (is $HOME set?)");
  return first;
}

Result<std::optional<std::string>> CurrentValue(git_config* config, const std::string& path, const std::string& key) {
  GitBuf value;
  int error = git_config_get_string_buf(value.get(), config, key.c_str());
  if (error == GIT_ENOTFOUND) return std::optional<std::string>();
  if (error < 0) return GitError(error, fmt::format("{}: reading {}", path, key));
  return std::optional<std::string>(std::string(value.view()));
}

}  // namespace

std::string RepositoryConfigPath(const GitRepo& repo) {
  std::string dir = git_repository_commondir(repo.get());
  if (!dir.empty() && dir.back() != '/') dir += '/';
  return dir + "config";
}

Result<std::string> GlobalConfigPath() {
  EnsureLibgit2();
  GM_ASSIGN_OR_RETURN(std::string home, FirstSearchDir(GIT_CONFIG_LEVEL_GLOBAL));
  std::string dotfile = home + "/.gitconfig";
  if (IsFile(dotfile)) return dotfile;
  GitBuf xdg;
  if (git_config_find_xdg(xdg.get()) == 0 && IsFile(std::string(xdg.view()))) return std::string(xdg.view());
  return dotfile;
}

Result<std::vector<ConfigChange>> SetConfigValues(const std::string& path, const std::vector<ConfigValue>& values) {
  EnsureLibgit2();
  git_config* raw = nullptr;
  int error = git_config_open_ondisk(&raw, path.c_str());
  if (error < 0) return GitError(error, fmt::format("opening git configuration '{}'", path));
  GitConfigPtr config(raw);
  std::vector<ConfigChange> changes;
  for (const ConfigValue& v : values) {
    GM_ASSIGN_OR_RETURN(std::optional<std::string> previous, CurrentValue(config.get(), path, v.key));
    ConfigChange change{v.key, v.value, previous, previous != v.value};
    if (change.changed) {
      error = git_config_set_string(config.get(), v.key.c_str(), v.value.c_str());
      if (error < 0) return GitError(error, fmt::format("{}: setting {}", path, v.key));
    }
    changes.push_back(std::move(change));
  }
  return changes;
}

Result<std::vector<std::string>> RemoveConfigKeys(const std::string& path, const std::vector<std::string>& keys) {
  EnsureLibgit2();
  git_config* raw = nullptr;
  int error = git_config_open_ondisk(&raw, path.c_str());
  if (error < 0) return GitError(error, fmt::format("opening git configuration '{}'", path));
  GitConfigPtr config(raw);
  std::vector<std::string> removed;
  for (const std::string& key : keys) {
    error = git_config_delete_entry(config.get(), key.c_str());
    if (error == GIT_ENOTFOUND) continue;
    if (error < 0) return GitError(error, fmt::format("{}: removing {}", path, key));
    removed.push_back(key);
  }
  return removed;
}

}  // namespace gitmodel
