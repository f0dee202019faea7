#include "runs/run_stamping.h"

#include <cmath>

#include "gitmodel/checkpoint.h"

namespace gitmodel {
namespace {

// The provenance record's metrics are plain numbers: non-finite final values are left out.
std::map<std::string, double> FiniteFinalMetrics(const RunRecord& record) {
  std::map<std::string, double> out;
  for (const auto& [key, summary] : record.metrics) {
    if (std::isfinite(summary.last)) out[key] = summary.last;
  }
  return out;
}

StampContext RunStampContext(const StampContext& context, const RunRecord& record) {
  StampContext out = context;
  out.base.run = RunSection{record.id, CommandLine(record.command), record.start, record.end, record.exit_code};
  out.base.metrics = FiniteFinalMetrics(record);
  out.base.created = NowRfc3339();
  return out;
}

}  // namespace

void StampRunCheckpoints(const StampContext& context, RunRecord& record, const std::vector<std::string>& written,
                         std::vector<std::string>& problems) {
  const StampContext run_context = RunStampContext(context, record);
  for (const std::string& path : written) {
    if (!Checkpoint::Open(path).ok()) continue;  // not a checkpoint git-model reads
    Result<StampResult> stamped = StampFile(run_context, path);
    if (!stamped.ok()) {
      problems.push_back(fmt::format("stamping {}: {}", path, stamped.status().message()));
      continue;
    }
    record.checkpoints.push_back(
        {stamped->record.artifact.path, stamped->record.artifact.fingerprint, stamped->file_sha256});
  }
}

}  // namespace gitmodel
