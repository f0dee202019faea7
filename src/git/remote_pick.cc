#include "git/remote_pick.h"

#include <string_view>

#include "git/remote_url.h"

namespace gitmodel {
namespace {

// branch.<name>.remote, or "" when unset or "." (a branch tracking another local branch).
Result<std::string> UpstreamRemoteName(git_repository* repo, const std::string& branch) {
  if (branch.empty()) return std::string();
  GitBuf name;
  std::string ref = "refs/heads/" + branch;
  int error = git_branch_upstream_remote(name.get(), repo, ref.c_str());
  if (error == GIT_ENOTFOUND) return std::string();
  if (error < 0) return GitError(error, fmt::format("reading the upstream remote of branch '{}'", branch));
  return name.view() == "." ? std::string() : std::string(name.view());
}

Result<std::string> FallbackRemoteName(git_repository* repo) {
  git_strarray names = {nullptr, 0};
  int error = git_remote_list(&names, repo);
  if (error < 0) return GitError(error, "listing remotes");
  std::string chosen = names.count > 0 ? names.strings[0] : "";
  for (size_t i = 0; i < names.count; ++i) {
    if (std::string_view(names.strings[i]) == "origin") chosen = "origin";
  }
  git_strarray_dispose(&names);
  return chosen;
}

}  // namespace

Result<RemoteChoice> PickRemote(git_repository* repo, const std::string& branch) {
  RemoteChoice choice;
  GM_ASSIGN_OR_RETURN(choice.name, UpstreamRemoteName(repo, branch));
  if (choice.name.empty()) {
    GM_ASSIGN_OR_RETURN(choice.name, FallbackRemoteName(repo));
  }
  if (choice.name.empty()) return choice;
  git_remote* raw = nullptr;
  int error = git_remote_lookup(&raw, repo, choice.name.c_str());
  if (error < 0) return GitError(error, fmt::format("reading remote '{}'", choice.name));
  GitRemotePtr remote(raw);
  const char* url = git_remote_url(remote.get());
  choice.url = url ? StripCredentials(url) : "";
  return choice;
}

}  // namespace gitmodel
