// git model runs [--where EXPR]... [--sort [-]KEY] [--limit N] [--json]
// git model runs show ID [--series KEY] [--json]
// git model runs compare ID ID... [--json]

#include <fmt/core.h>

#include "cli/command.h"
#include "cli/render.h"
#include "cli/runs_context.h"
#include "cli/runs_render.h"
#include "runs/metric_columns.h"
#include "runs/run_compare.h"

namespace gitmodel::cli {
namespace {

constexpr size_t kMetricColumns = 4;

struct RunsArgs {
  std::vector<std::string> where;
  std::string sort;
  uint64_t limit = 50;
  bool json = false;
  std::string show_id;
  std::string series;  // show --series KEY
  bool show_json = false;
  std::vector<std::string> compare_ids;
  bool compare_json = false;
};

Result<RunQuery> BuildQuery(const RunsArgs& args) {
  RunQuery query;
  for (const std::string& w : args.where) {
    GM_ASSIGN_OR_RETURN(RunFilter filter, ParseRunFilter(w));
    query.filters.push_back(std::move(filter));
  }
  if (!args.sort.empty()) {
    GM_ASSIGN_OR_RETURN(RunSort sort, ParseRunSort(args.sort));
    query.sort = std::move(sort);
  }
  query.limit = args.limit;
  return query;
}

// Metrics named by --sort and --where first, then the ones most of the listed runs have.
std::vector<std::string> Columns(const RunQuery& query, const std::vector<RunRow>& rows) {
  std::vector<std::string> preferred;
  if (query.sort && query.sort->key.kind == RunKeyKind::kMetric) preferred.push_back(query.sort->key.name);
  for (const RunFilter& f : query.filters) {
    if (f.key.kind == RunKeyKind::kMetric) preferred.push_back(f.key.name);
  }
  return MetricColumns(rows, std::move(preferred), kMetricColumns);
}

Status List(const RunsArgs& args) {
  GM_ASSIGN_OR_RETURN(RunQuery query, BuildQuery(args));
  GM_ASSIGN_OR_RETURN(RunsContext c, OpenRunsContext());
  GM_ASSIGN_OR_RETURN(std::vector<RunRow> rows, c.index.List(query));
  if (args.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const RunRow& row : rows) out.push_back(RunRowJson(row));
    fmt::print("{}\n", out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
    return OkStatus();
  }
  if (rows.empty()) {
    fmt::print("{}\n", query.filters.empty() ? "no runs recorded yet (git model run -- COMMAND records one)"
                                             : "no recorded run matches");
    return OkStatus();
  }
  fmt::print("{}", RunsTable(rows, Columns(query, rows)));
  if (query.limit && rows.size() == query.limit) {
    fmt::print("(the first {}: --limit N shows more, --limit 0 all)\n", query.limit);
  }
  return OkStatus();
}

// One metric's every point, in the order the command logged them.
Status ShowSeries(const RunsContext& c, const std::string& id, const RunsArgs& args) {
  GM_ASSIGN_OR_RETURN(std::vector<MetricPoint> points, c.index.Series(id, args.series));
  if (points.empty()) return NotFound("run {} logged no metric '{}'", id, args.series);
  if (args.show_json) {
    fmt::print("{}\n", SeriesJson(id, args.series, points).dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
  } else {
    fmt::print("{}", SeriesTable(points));
  }
  return OkStatus();
}

Status Show(const RunsArgs& args) {
  GM_ASSIGN_OR_RETURN(RunsContext c, OpenRunsContext());
  GM_ASSIGN_OR_RETURN(std::string id, c.index.Resolve(args.show_id));
  if (!args.series.empty()) return ShowSeries(c, id, args);
  GM_ASSIGN_OR_RETURN(RunRecord record, c.index.Get(id));
  if (args.show_json) {
    fmt::print("{}\n", RunRecordToJson(record).dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
    return OkStatus();
  }
  fmt::print("{}", RunShowText(record, fmt::format("{}/runs/{}/output.log", c.git_model_dir, id)));
  return OkStatus();
}

Status Compare(const RunsArgs& args) {
  GM_ASSIGN_OR_RETURN(RunsContext c, OpenRunsContext());
  std::vector<RunRecord> runs;
  for (const std::string& prefix : args.compare_ids) {
    GM_ASSIGN_OR_RETURN(std::string id, c.index.Resolve(prefix));
    GM_ASSIGN_OR_RETURN(RunRecord record, c.index.Get(id));
    runs.push_back(std::move(record));
  }
  GM_ASSIGN_OR_RETURN(RunComparison comparison, CompareRuns(c.repo, std::move(runs)));
  if (args.compare_json) {
    fmt::print("{}\n", CompareJson(comparison).dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
  } else {
    fmt::print("{}", CompareText(comparison));
  }
  return OkStatus();
}

int Report(const Status& status) {
  if (status.ok()) return kExitOk;
  PrintError(status.message());
  return kExitError;
}

}  // namespace

void SetupRuns(CLI::App& sub, int* exit_code) {
  auto args = std::make_shared<RunsArgs>();
  sub.add_option("--where", args->where, "Only runs where EXPR holds: val_acc>0.8, params.lr<=0.01, "
                                         "tags.team=vision, status=failed, commit=abc1; repeatable (all must hold)")
      ->allow_extra_args(false);
  sub.add_option("--sort", args->sort, "Order by a metric's last value, params.NAME, start, end, wall or name; "
                                       "-KEY descending (default: newest first)");
  sub.add_option("--limit", args->limit, "At most N runs (0: all)")->capture_default_str();
  sub.add_flag("--json", args->json, "A JSON array of runs with every metric's summary");
  CLI::App* show = sub.add_subcommand("show", "One run: command, outcome, commit, hyperparameters, metrics, checkpoints");
  show->add_option("id", args->show_id, "The run's id or a unique prefix")->required();
  show->add_option("--series", args->series, "Every logged value of this metric instead: line, step, time, value");
  show->add_flag("--json", args->show_json, "The run record (docs/runs.md), or with --series the points");
  CLI::App* compare = sub.add_subcommand(
      "compare", "Runs side by side: hyperparameters (differences marked), metrics, environment, code changes");
  compare->add_option("ids", args->compare_ids, "Two or more run ids or unique prefixes")->required()->expected(2, -1);
  compare->add_flag("--json", args->compare_json, "One JSON document");
  sub.require_subcommand(0, 1);
  sub.callback([args, exit_code, show, compare] {
    if (show->parsed()) *exit_code = Report(Show(*args));
    else if (compare->parsed()) *exit_code = Report(Compare(*args));
    else *exit_code = Report(List(*args));
  });
}

}  // namespace gitmodel::cli
