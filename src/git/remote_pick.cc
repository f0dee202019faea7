#include "git/remote_pick.h"

#include <set>
#include <string_view>

#include "git/remote_url.h"

// Remotes are read from the configuration rather than with git_remote_list / git_remote_lookup:
// in libgit2 1.5 those leak PCRE2 match data for every configuration key their patterns do not
// match (fixed upstream by libgit2 PR #6382), which fails every LeakSanitizer run. The URL is the
// configured one, without url.<base>.insteadOf rewriting.

namespace gitmodel {
namespace {

Result<GitConfigPtr> ConfigSnapshot(git_repository* repo) {
  git_config* raw = nullptr;
  int error = git_repository_config_snapshot(&raw, repo);
  if (error < 0) return GitError(error, "reading the repository configuration");
  return GitConfigPtr(raw);
}

// branch.<name>.remote, or "" when unset or "." (a branch tracking another local branch).
Result<std::string> UpstreamRemoteName(git_config* config, const std::string& branch) {
  if (branch.empty()) return std::string();
  GitBuf name;
  std::string key = "branch." + branch + ".remote";
  int error = git_config_get_string_buf(name.get(), config, key.c_str());
  if (error == GIT_ENOTFOUND) return std::string();
  if (error < 0) return GitError(error, fmt::format("reading {}", key));
  return name.view() == "." ? std::string() : std::string(name.view());
}

// "origin" if it has a URL, else the alphabetically first remote with one, else "".
Result<std::string> FallbackRemoteName(git_config* config) {
  git_config_iterator* raw = nullptr;
  int error = git_config_iterator_new(&raw, config);
  if (error < 0) return GitError(error, "listing the repository configuration");
  GitConfigIteratorPtr it(raw);
  std::set<std::string> names;
  git_config_entry* entry = nullptr;
  while ((error = git_config_next(&entry, it.get())) == 0) {
    std::string_view key = entry->name;
    if (key.size() > 11 && key.starts_with("remote.") && key.ends_with(".url")) {
      names.emplace(key.substr(7, key.size() - 11));
    }
  }
  if (error != GIT_ITEROVER) return GitError(error, "listing the repository configuration");
  if (names.empty()) return std::string();
  return names.count("origin") ? std::string("origin") : *names.begin();
}

Result<std::string> RemoteUrl(git_config* config, const std::string& name) {
  GitBuf url;
  std::string key = "remote." + name + ".url";
  int error = git_config_get_string_buf(url.get(), config, key.c_str());
  if (error == GIT_ENOTFOUND) return std::string();
  if (error < 0) return GitError(error, fmt::format("reading {}", key));
  return StripCredentials(url.view());
}

}  // namespace

Result<RemoteChoice> PickRemote(git_repository* repo, const std::string& branch) {
  GM_ASSIGN_OR_RETURN(GitConfigPtr config, ConfigSnapshot(repo));
  RemoteChoice choice;
  GM_ASSIGN_OR_RETURN(choice.name, UpstreamRemoteName(config.get(), branch));
  if (choice.name.empty()) {
    GM_ASSIGN_OR_RETURN(choice.name, FallbackRemoteName(config.get()));
  }
  if (choice.name.empty()) return choice;
  GM_ASSIGN_OR_RETURN(choice.url, RemoteUrl(config.get(), choice.name));
  return choice;
}

}  // namespace gitmodel
