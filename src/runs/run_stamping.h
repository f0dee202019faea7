// Stamping the checkpoints a run wrote (run_recorder.h): each gets the provenance captured at the
// run's start plus the run (id, command, start, end, exit code) and its final metrics.
#pragma once

#include <string>
#include <vector>

#include "provenance/stamp.h"
#include "runs/run_record.h"

namespace gitmodel {

// Stamps every file of `written` that is a checkpoint, adding each to record.checkpoints. Files
// that are not checkpoints are skipped quietly; a checkpoint that cannot be stamped (read-only,
// damaged) is added to `problems`.
void StampRunCheckpoints(const StampContext& context, RunRecord& record, const std::vector<std::string>& written,
                         std::vector<std::string>& problems);

}  // namespace gitmodel
