#include "git/repo_config.h"

#include "git/git_handles.h"

namespace gitmodel {
namespace {

Result<GitConfigPtr> Snapshot(const GitRepo& repo) {
  git_config* raw = nullptr;
  int error = git_repository_config_snapshot(&raw, repo.get());
  if (error < 0) return GitError(error, "reading the repository configuration");
  return GitConfigPtr(raw);
}

using Getter = int (*)(git_buf*, const git_config*, const char*);

Result<std::optional<std::string>> Read(const GitRepo& repo, std::string_view key, Getter get) {
  GM_ASSIGN_OR_RETURN(GitConfigPtr config, Snapshot(repo));
  GitBuf value;
  std::string name(key);
  int error = get(value.get(), config.get(), name.c_str());
  if (error == GIT_ENOTFOUND) return std::optional<std::string>();
  if (error < 0) return GitError(error, fmt::format("reading {}", name));
  return std::optional<std::string>(std::string(value.view()));
}

}  // namespace

Result<std::vector<ConfigEntry>> ReadConfigWithPrefix(const GitRepo& repo, std::string_view prefix) {
  GM_ASSIGN_OR_RETURN(GitConfigPtr config, Snapshot(repo));
  git_config_iterator* raw = nullptr;
  if (int error = git_config_iterator_new(&raw, config.get()); error < 0)
    return GitError(error, "reading the repository configuration");
  GitConfigIteratorPtr it(raw);
  std::vector<ConfigEntry> out;
  git_config_entry* entry = nullptr;
  while (git_config_next(&entry, raw) == 0)
    if (std::string_view(entry->name).starts_with(prefix)) out.push_back({entry->name, entry->value ? entry->value : ""});
  return out;
}

Result<std::optional<std::string>> ReadConfigString(const GitRepo& repo, std::string_view key) {
  return Read(repo, key, &git_config_get_string_buf);
}

Result<std::optional<std::string>> ReadConfigPath(const GitRepo& repo, std::string_view key) {
  return Read(repo, key, &git_config_get_path);
}

}  // namespace gitmodel
