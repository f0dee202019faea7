#include "git/repo.h"

#include <filesystem>
#include <system_error>

#include "git/git_handles.h"

namespace gitmodel {
namespace {

std::string WithoutTrailingSlash(const char* dir) {
  std::string s = dir ? dir : "";
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  return s;
}

// The directory to start discovery from: `path` itself when it is a directory, else its nearest
// existing ancestor (for a file, or a checkpoint path whose directories are not created yet).
Result<std::string> DiscoveryStart(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path p = fs::absolute(path.empty() ? "." : path, ec).lexically_normal();
  if (ec) return IOError("cannot resolve '{}': {}", path, ec.message());
  while (!fs::is_directory(p, ec) && p.has_relative_path()) p = p.parent_path();
  if (!fs::is_directory(p, ec)) return NotFound("'{}': no existing directory", path);
  return p.string();
}

}  // namespace

GitRepo::GitRepo(git_repository* repo) : repo_(repo) {}
GitRepo::~GitRepo() = default;
void GitRepo::Free::operator()(git_repository* repo) const { git_repository_free(repo); }

Result<std::optional<GitRepo>> DiscoverRepo(const std::string& path) {
  EnsureLibgit2();
  GM_ASSIGN_OR_RETURN(std::string start, DiscoveryStart(path));
  GitBuf found;
  int error = git_repository_discover(found.get(), start.c_str(), /*across_fs=*/0, nullptr);
  if (error == GIT_ENOTFOUND) return std::optional<GitRepo>();
  if (error < 0) return GitError(error, fmt::format("looking for a git repository at '{}'", start));
  git_repository* repo = nullptr;
  std::string dir(found.view());
  error = git_repository_open(&repo, dir.c_str());
  if (error < 0) return GitError(error, fmt::format("opening git repository '{}'", dir));
  return std::optional<GitRepo>(GitRepo(repo));
}

std::string GitModelDir(const GitRepo& repo) {
  return WithoutTrailingSlash(git_repository_commondir(repo.get())) + "/git-model";
}

std::string WorkdirOf(const GitRepo& repo) {
  const char* workdir = git_repository_workdir(repo.get());
  return workdir ? WithoutTrailingSlash(workdir) : "";
}

}  // namespace gitmodel
