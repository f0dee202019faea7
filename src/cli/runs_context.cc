#include "cli/runs_context.h"

#include <cmath>

#include <fmt/core.h>

#include "provenance/record_index.h"

namespace gitmodel::cli {

Result<RunsContext> OpenRunsContext() {
  GM_ASSIGN_OR_RETURN(std::optional<GitRepo> repo, DiscoverRepo("."));
  if (!repo) return InvalidArgument("not in a git repository: runs are recorded per repository");
  std::string dir = GitModelDir(*repo);
  GM_ASSIGN_OR_RETURN(RunIndex index, RunIndex::Open(RecordIndexPath(dir)));
  return RunsContext{std::move(*repo), std::move(dir), std::move(index)};
}

std::string ShortTime(const std::string& rfc3339) {
  if (rfc3339.size() < 16) return rfc3339;
  std::string out = rfc3339.substr(0, 16);
  out[10] = ' ';
  return out;
}

std::string Duration(double seconds) {
  if (seconds < 60) return fmt::format("{:.1f} s", seconds);
  const auto whole = static_cast<uint64_t>(seconds);
  if (whole < 3600) return fmt::format("{}m {:02}s", whole / 60, whole % 60);
  return fmt::format("{}h {:02}m", whole / 3600, whole / 60 % 60);
}

std::string MetricValue(double value) {
  if (std::isnan(value)) return "NaN";
  return fmt::format("{:.6g}", value);
}

std::string ExitText(std::optional<int> exit_code, std::optional<int> signal) {
  if (signal) return fmt::format("signal {}", *signal);
  if (exit_code) return fmt::format("exit {}", *exit_code);
  return "-";
}

}  // namespace gitmodel::cli
