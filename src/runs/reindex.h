// Rebuilding the run index from the records ref (docs/runs.md, "The index"): `git model reindex`
// does it whole; `git model fetch`/`pull` bring in what a merge added.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "gitmodel/status.h"
#include "runs/run_index.h"

namespace gitmodel {

class GitRepo;

struct ReindexStats {
  uint64_t runs = 0;            // indexed
  uint64_t unchanged = 0;       // already indexed with the same record (only_changed)
  uint64_t metric_points = 0;
  std::vector<std::string> skipped;  // one line per record that could not be read (untrusted)
};

// Indexes every run under `runs/<id>/` of the records ref: run.json, and metrics.jsonl read
// with the metrics protocol's parser (metrics_line.h). With `only_changed`, a run whose record
// the index already holds byte for byte is left alone; otherwise the run tables are cleared first.
Result<ReindexStats> ReindexRuns(const GitRepo& repo, RunIndex& index, bool only_changed);

}  // namespace gitmodel
