// git model report [REV-RANGE] [--since DATE] [--until DATE] [--metric M]... [--format md|html|json]
//                  [-o FILE] [--first-parent] [--top N]
//
// The change report of a period (docs/report.md): summary, features, architecture changes,
// hyperparameter changes, performance, environment and file churn, for the commits of the range
// (default HEAD) whose author time is in [--since, --until]. Markdown on stdout by default; -o
// writes the file atomically, its format from the extension unless --format says.
#include <fmt/core.h>

#include "base/atomic_file.h"
#include "cli/command.h"
#include "cli/params_context.h"
#include "cli/render.h"
#include "git/git_date.h"
#include "hyperparams/param_history_cache.h"
#include "provenance/record_index.h"
#include "report/report_build.h"
#include "report/report_render.h"

namespace gitmodel::cli {
namespace {

struct ReportArgs {
  std::vector<std::string> ranges;
  std::string since, until;
  std::vector<std::string> metrics;
  std::string format;
  std::string output;
  bool first_parent = false;
  size_t top = 10;
};

Result<std::string> FormatOf(const ReportArgs& args) {
  std::string format = args.format;
  if (format.empty()) {
    const std::string& o = args.output;
    format = o.ends_with(".html") || o.ends_with(".htm") ? "html" : o.ends_with(".json") ? "json" : "md";
  }
  if (format == "markdown") format = "md";
  if (format != "md" && format != "html" && format != "json") return InvalidArgument("--format '{}': expected md, html or json", format);
  return format;
}

Result<std::optional<int64_t>> DateOption(const std::string& text, std::string_view option) {
  if (text.empty()) return std::optional<int64_t>();
  Result<int64_t> seconds = ParseGitDate(text);
  if (!seconds.ok()) return seconds.status().WithContext(std::string(option));
  return std::optional<int64_t>(*seconds);
}

Result<ReportOptions> Options(const ReportArgs& args, const ParamsContext& ctx) {
  if (args.ranges.size() > 1) return InvalidArgument("more than one revision range: '{}' and '{}'", args.ranges[0], args.ranges[1]);
  ReportOptions options;
  options.walk = {.range = args.ranges.empty() ? "HEAD" : args.ranges[0], .first_parent = args.first_parent};
  GM_ASSIGN_OR_RETURN(options.since, DateOption(args.since, "--since"));
  GM_ASSIGN_OR_RETURN(options.until, DateOption(args.until, "--until"));
  if (options.since && options.until && *options.since > *options.until) {
    return InvalidArgument("--since '{}' is after --until '{}': the period is empty", args.since, args.until);
  }
  options.metrics = args.metrics;
  options.params = ctx.query;
  options.param_cache_dir = ParamCacheDir(ctx.repo);
  options.index_path = RecordIndexPath(GitModelDir(ctx.repo));
  options.top_files = args.top;
  return options;
}

std::string Render(const ChangeReport& report, const std::string& format) {
  if (format == "html") return RenderReportHtml(report);
  if (format == "json") return ReportToJson(report).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  return RenderReportMarkdown(report);
}

int RunReport(const ReportArgs& args) {
  Result<std::string> format = FormatOf(args);
  if (!format.ok()) return PrintError(format.status().message()), kExitError;
  Result<ParamsContext> ctx = OpenParamsContext({}, {});
  if (!ctx.ok()) return PrintError(ctx.status().message()), kExitError;
  Result<ReportOptions> options = Options(args, *ctx);
  if (!options.ok()) return PrintError(options.status().message()), kExitError;
  Result<ChangeReport> report = BuildChangeReport(ctx->repo, *options);
  if (!report.ok()) return PrintError(report.status().message()), kExitError;
  const std::string text = Render(*report, *format);
  if (args.output.empty() || args.output == "-") {
    fmt::print("{}", text);
    return kExitOk;
  }
  Status written = WriteFileAtomically(args.output, text);
  if (!written.ok()) return PrintError(written.message()), kExitError;
  fmt::print(stderr, "git-model: wrote {} ({}, {} commits)\n", args.output, *format, report->summary.commits);
  return kExitOk;
}

}  // namespace

void SetupReport(CLI::App& sub, int* exit_code) {
  auto args = std::make_shared<ReportArgs>();
  sub.add_option("range", args->ranges, "A revision (its history) or a range A..B; default HEAD");
  sub.add_option("--since", args->since, "Commits authored at or after this date (as git log --since reads it: "
                                         "\"1 week ago\", \"2026-11-20\")");
  sub.add_option("--until", args->until, "Commits authored at or before this date");
  sub.add_option("--metric", args->metrics, "Report this metric (repeatable); default: every metric recorded")
      ->allow_extra_args(false);
  sub.add_option("--format", args->format, "md (default), html (one self-contained file with charts) or json");
  sub.add_option("-o,--output", args->output, "Write to FILE (atomically) instead of stdout; the format follows "
                                              "its extension (.html, .json, .md) unless --format is given");
  sub.add_flag("--first-parent", args->first_parent, "Follow only first parents");
  sub.add_option("--top", args->top, "Rows of file churn (default 10)")->check(CLI::Range(1, 10000));
  sub.footer("Sections: summary, features (commit subjects by Conventional Commits type or first word), "
             "architecture changes of committed checkpoints, hyperparameter changes, performance (per commit: the "
             "median of the finished runs' last values), environment across runs, file churn. docs/report.md "
             "describes each and the JSON schema.");
  sub.callback([args, exit_code] { *exit_code = RunReport(*args); });
}

}  // namespace gitmodel::cli
