#include "cli/params_context.h"

#include <filesystem>
#include <system_error>

#include "git/file_history.h"
#include "hyperparams/project_config.h"

namespace gitmodel::cli {
namespace {

std::string RepoRelative(const std::string& workdir, const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (workdir.empty() || !fs::exists(path, ec)) return path;
  const fs::path absolute = fs::weakly_canonical(fs::absolute(path, ec), ec);
  const fs::path relative = absolute.lexically_relative(fs::weakly_canonical(workdir, ec));
  if (relative.empty() || relative.native().starts_with("..")) return path;
  return relative.generic_string();
}

}  // namespace

Result<ParamsContext> OpenParamsContext(const std::vector<std::string>& files,
                                        const std::vector<std::string>& key_globs) {
  GM_ASSIGN_OR_RETURN(std::optional<GitRepo> repo, DiscoverRepo("."));
  if (!repo) return NotFound("not in a git repository");
  const std::string workdir = WorkdirOf(*repo);
  ProjectConfig config;
  if (!workdir.empty()) {
    GM_ASSIGN_OR_RETURN(config, LoadProjectConfig(workdir));
  }
  ParamsContext context{std::move(*repo), {}};
  context.query.config_globs = config.config_globs;
  context.query.key_globs = key_globs;
  for (const std::string& f : files) context.query.files.push_back(RepoRelative(workdir, f));
  return context;
}

bool LooksLikeRevision(const GitRepo& repo, const std::string& arg) {
  if (arg.find("..") != std::string::npos) return true;
  return ReadCommitMeta(repo, arg).ok();
}

}  // namespace gitmodel::cli
