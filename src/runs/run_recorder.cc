#include "runs/run_recorder.h"

#include <filesystem>
#include <optional>

#include "git/repo.h"
#include "provenance/record_index.h"
#include "provenance/stamp.h"
#include "runs/metrics_collector.h"
#include "runs/records_ref.h"
#include "runs/run_id.h"
#include "runs/run_index.h"
#include "runs/run_stamping.h"
#include "runs/written_checkpoints.h"

namespace gitmodel {
namespace {

namespace fs = std::filesystem;

// Everything a run holds from its start to its end.
struct Session {
  const RunOptions& options;
  GitRepo repo;
  StampContext context;
  RunRecord record;
  std::optional<RunIndex> index;
  RunResult result;

  void Note(std::string_view text) const {
    if (options.progress) options.progress(text);
  }
  void Problem(const Status& status, std::string_view doing) {
    if (!status.ok()) result.problems.push_back(fmt::format("{}: {}", doing, status.message()));
  }
};

std::string RunPath(const RunRecord& r, std::string_view file) { return fmt::format("runs/{}/{}", r.id, file); }

Result<Session> Start(const RunOptions& options) {
  if (options.command.empty()) return InvalidArgument("no command to run: git model run [OPTIONS] -- COMMAND...");
  GM_ASSIGN_OR_RETURN(std::optional<GitRepo> repo, DiscoverRepo(options.workdir));
  if (!repo) return InvalidArgument("{} is not in a git repository: runs are recorded in one", options.workdir);
  StampOptions stamp;
  stamp.config_files = options.config_files;
  stamp.params = options.params;
  stamp.data_paths = options.data_paths;
  stamp.workdir = options.workdir;
  stamp.probe_python = options.probe_python;
  stamp.progress = options.progress;
  GM_ASSIGN_OR_RETURN(StampContext context, PrepareStamp(stamp));
  return Session{options, std::move(*repo), std::move(context), {}, std::nullopt, {}};
}

void InitRecord(Session& s, std::chrono::system_clock::time_point start) {
  RunRecord& r = s.record;
  r.id = NewRunId(start);
  r.name = s.options.name;
  r.tags = s.options.tags;
  r.command = s.options.command;
  std::error_code ec;
  const std::string cwd = RepoRelativePath(fs::absolute(s.options.workdir, ec).lexically_normal().string(),
                                           s.context.repo_root);
  r.cwd = cwd.empty() || cwd == s.context.repo_root ? "." : cwd;
  r.start = NowRfc3339();
  r.capture = s.context.base;
}

// The record (and, at the end, the metrics) in the records ref, then the index.
void Publish(Session& s, const std::string& normalized_metrics, std::string_view message) {
  std::vector<RecordFile> files{{RunPath(s.record, "run.json"), SerializeRunRecord(s.record)}};
  if (!normalized_metrics.empty()) files.push_back({RunPath(s.record, "metrics.jsonl"), normalized_metrics});
  s.Problem(WriteRecords(s.repo, files, message), "writing the run to " + std::string(kRecordsRef));
  if (s.index) s.Problem(s.index->PutRun(s.record), "indexing the run");
}

void Finish(Session& s, const ChildOutcome& child, const MetricsCollector& metrics) {
  RunRecord& r = s.record;
  r.end = NowRfc3339();
  r.wall_seconds = child.wall_seconds;
  r.exit_code = child.exit_code;
  r.signal = child.signal;
  r.core_dumped = child.core_dumped;
  if (child.started) {
    r.peak_rss_kb = child.peak_rss_kb;
    r.user_seconds = child.user_seconds;
    r.system_seconds = child.system_seconds;
  }
  r.status = std::string(!child.started            ? kRunNotStarted
                         : child.signal             ? kRunKilled
                         : child.exit_code == 0     ? kRunFinished
                                                    : kRunFailed);
  r.metrics = metrics.summaries();
  r.metric_lines = metrics.lines();
  r.metric_warnings = metrics.warnings();
  r.metric_warnings_dropped = metrics.warnings_dropped();
}

}  // namespace

Result<RunResult> RecordRun(const RunOptions& options) {
  GM_ASSIGN_OR_RETURN(Session s, Start(options));
  const auto start = std::chrono::system_clock::now();
  const fs::file_time_type files_since = fs::file_time_type::clock::now();
  InitRecord(s, start);
  const std::string run_dir = fmt::format("{}/runs/{}", s.context.git_model_dir, s.record.id);
  std::error_code ec;
  fs::create_directories(run_dir, ec);
  if (ec) return IOError("{}: cannot create the run's directory: {}", run_dir, ec.message());
  s.result.metrics_path = run_dir + "/metrics.jsonl";
  s.result.log_path = run_dir + "/output.log";
  Result<RunIndex> index = RunIndex::Open(RecordIndexPath(s.context.git_model_dir));
  s.Problem(index.status(), "opening the run index");
  if (index.ok()) s.index.emplace(std::move(*index));
  Publish(s, "", fmt::format("run {} started", s.record.id));
  s.Note(fmt::format("run {} started", s.record.id));

  MetricsCollector metrics(s.result.metrics_path, s.record.id, s.index ? &*s.index : nullptr);
  ChildSpec spec;
  spec.argv = options.command;
  spec.set_env = {{"GIT_MODEL_RUN_ID", s.record.id}, {"GIT_MODEL_METRICS", s.result.metrics_path}};
  spec.log_path = s.result.log_path;
  spec.out_fd = options.out_fd;
  spec.err_fd = options.err_fd;
  Result<ChildOutcome> child = RunChild(spec, [&] { metrics.Poll(); });
  if (child.ok()) {
    s.result.child = std::move(*child);
  } else {  // recorded as not started, so the ref never keeps a "running" run that is not
    s.result.child.start_error = child.status().message();
  }
  metrics.Finish();
  Finish(s, s.result.child, metrics);

  Result<std::vector<std::string>> written = WrittenFiles(s.repo, options.watch_dirs, files_since);
  s.Problem(written.status(), "finding the checkpoints the command wrote");
  if (written.ok()) StampRunCheckpoints(s.context, s.record, *written, s.result.problems);
  Publish(s, metrics.normalized_lines(), fmt::format("run {} {}", s.record.id, s.record.status));
  s.result.record = s.record;
  return std::move(s.result);
}

}  // namespace gitmodel
