#include "hooks/staged_checks.h"

#include "git/staged_changes.h"
#include "hyperparams/config_readers.h"

namespace gitmodel {
namespace {

std::string_view BaseName(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::string MatchedPattern(const std::vector<std::string>& patterns, const std::string& path) {
  for (const std::string& p : patterns) {
    std::string_view subject = p.find('/') == std::string::npos ? BaseName(path) : std::string_view(path);
    if (MatchesConfigGlob(p, subject)) return p;
  }
  return "";
}

// The parse error of the staged blob `c`, or "" when it parses (or cannot be checked).
Result<std::string> ConfigError(const GitRepo& repo, const StagedChange& c) {
  const bool project = c.path == kProjectConfigName;
  auto format = ConfigFormatForPath(c.path);
  if (!project && !format.ok()) return std::string();
  auto text = ReadBlobBytes(repo, c.new_id, kMaxConfigBytes);
  if (!text.ok()) {
    if (text.status().code() == Code::kLimit) return fmt::format("{}: {}", c.path, text.status().message());
    return text.status();
  }
  Status parsed = project ? ParseProjectConfig(*text, c.path).status() : ParseConfigText(*format, *text, c.path).status();
  return parsed.ok() ? std::string() : parsed.message();
}

Status CheckOne(const GitRepo& repo, const ProjectConfig& config, const StagedChange& c,
                std::vector<StagedProblem>& out) {
  const HookSettings& hooks = config.hooks;
  if (c.new_size > hooks.max_file_bytes) out.push_back({StagedProblem::Kind::kTooLarge, c.path, c.new_size, ""});
  if (std::string pattern = MatchedPattern(hooks.checkpoint_patterns, c.path); !pattern.empty()) {
    GM_ASSIGN_OR_RETURN(std::string filter, PathAttribute(repo, c.path, "filter"));
    if (filter != kGitModelFilter) out.push_back({StagedProblem::Kind::kCheckpoint, c.path, c.new_size, pattern});
  }
  if (c.path == kProjectConfigName || IsCheckedConfig(config, c.path)) {
    GM_ASSIGN_OR_RETURN(std::string error, ConfigError(repo, c));
    if (!error.empty()) out.push_back({StagedProblem::Kind::kBadConfig, c.path, c.new_size, error});
  }
  return OkStatus();
}

}  // namespace

bool MatchesAnyPattern(const std::vector<std::string>& patterns, const std::string& path) {
  return !MatchedPattern(patterns, path).empty();
}

bool IsCheckedConfig(const ProjectConfig& config, const std::string& path) {
  if (!ConfigFormatForPath(path).ok()) return false;
  for (const std::string& glob : config.config_globs)
    if (MatchesConfigGlob(glob, path)) return true;
  return false;
}

Result<std::vector<StagedProblem>> CheckStagedFiles(const GitRepo& repo, const ProjectConfig& config) {
  GM_ASSIGN_OR_RETURN(std::vector<StagedChange> changes, ReadStagedChanges(repo));
  std::vector<StagedProblem> problems;
  for (const StagedChange& c : changes) {
    if (c.kind == StagedChange::Kind::kDeleted) continue;
    GM_RETURN_IF_ERROR(CheckOne(repo, config, c, problems));
  }
  return problems;
}

}  // namespace gitmodel
