#include "runs/written_checkpoints.h"

#include <git2.h>

#include <algorithm>

#include "git/repo.h"
#include "git/staged_changes.h"

namespace gitmodel {
namespace {

namespace fs = std::filesystem;

bool ModifiedSince(const fs::directory_entry& entry, fs::file_time_type since) {
  std::error_code ec;
  if (!entry.is_regular_file(ec)) return false;
  const fs::file_time_type modified = entry.last_write_time(ec);
  return !ec && modified >= since;
}

Status WalkWatchDir(const std::string& dir, fs::file_time_type since, std::vector<std::string>& out) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) return OkStatus();  // the command never created it: nothing written
  if (!fs::is_directory(dir, ec)) return InvalidArgument("--watch {}: not a directory", dir);
  auto options = fs::directory_options::skip_permission_denied;
  for (fs::recursive_directory_iterator it(dir, options, ec), end; !ec && it != end; it.increment(ec)) {
    if (ModifiedSince(*it, since)) out.push_back(fs::absolute(it->path()).lexically_normal().string());
  }
  if (ec) return IOError("--watch {}: {}", dir, ec.message());
  return OkStatus();
}

bool IsIgnored(const GitRepo& repo, const std::string& relative) {
  int ignored = 0;
  return git_ignore_path_is_ignored(&ignored, repo.get(), relative.c_str()) == 0 && ignored;
}

Status WalkTracked(const GitRepo& repo, fs::file_time_type since, std::vector<std::string>& out) {
  const fs::path root = WorkdirOf(repo);
  std::error_code ec;
  auto options = fs::directory_options::skip_permission_denied;
  for (fs::recursive_directory_iterator it(root, options, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string relative = it->path().lexically_relative(root).generic_string();
    if (it->is_directory(ec)) {
      if (it->path().filename() == ".git" || IsIgnored(repo, relative + "/")) it.disable_recursion_pending();
      continue;
    }
    if (!ModifiedSince(*it, since)) continue;
    Result<std::string> filter = PathAttribute(repo, relative, "filter");
    if (filter.ok() && *filter == "git-model") out.push_back(fs::absolute(it->path()).lexically_normal().string());
  }
  if (ec) return IOError("{}: {}", root.string(), ec.message());
  return OkStatus();
}

}  // namespace

Result<std::vector<std::string>> WrittenFiles(const GitRepo& repo, const std::vector<std::string>& watch_dirs,
                                              std::filesystem::file_time_type since) {
  std::vector<std::string> out;
  for (const std::string& dir : watch_dirs) GM_RETURN_IF_ERROR(WalkWatchDir(dir, since, out));
  if (watch_dirs.empty()) GM_RETURN_IF_ERROR(WalkTracked(repo, since, out));
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace gitmodel
