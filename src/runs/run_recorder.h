// Recording a run: `git model run [options] -- COMMAND...` (docs/runs.md).
//
// RecordRun captures provenance at the start (git state with the uncommitted patch, configs and
// parameters, environment, data digests: stamp.h's PrepareStamp), writes the run's record
// (status "running") to the records ref and the index, runs the command under supervision
// (child_runner.h) with GIT_MODEL_RUN_ID and GIT_MODEL_METRICS set, feeds the metrics it logs to
// the index as they arrive, and at the end stamps every checkpoint the command wrote
// (written_checkpoints.h) with the run and its final metrics, then writes the final record and
// the metrics to the ref and the index.
//
// Local files: `<git dir>/git-model/runs/<id>/metrics.jsonl` (the child's) and `output.log`.
// Nothing here prints; `progress` gets one-line notes.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "gitmodel/status.h"
#include "runs/child_runner.h"
#include "runs/run_record.h"

namespace gitmodel {

struct RunOptions {
  std::vector<std::string> command;
  std::string name;
  std::vector<std::string> config_files;
  std::vector<std::string> params;      // "key=value"
  std::vector<std::string> data_paths;
  std::vector<std::string> watch_dirs;  // empty: files of `git model track` patterns
  std::map<std::string, std::string> tags;
  std::string workdir = ".";
  bool probe_python = true;
  int out_fd = 1;  // the command's output is echoed here (child_runner.h)
  int err_fd = 2;
  std::function<void(std::string_view note)> progress;
};

struct RunResult {
  RunRecord record;
  ChildOutcome child;
  std::string log_path;
  std::string metrics_path;
  // Things that went wrong around the command (a checkpoint that could not be stamped, the index
  // or the records ref not written): the run itself is still recorded as well as it could be.
  std::vector<std::string> problems;
};

// Errors only for what stops a run from being recorded at all (not in a git repository, a
// config that does not parse, an empty command); the command's own failure is in the result.
Result<RunResult> RecordRun(const RunOptions& options);

}  // namespace gitmodel
