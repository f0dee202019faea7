#include "cli/transfer_runner.h"

#include "cli/progress_bar.h"

namespace gitmodel::cli {

Result<TransferReport> RunTransfer(Direction direction, const ObjectStore& store, Remote& remote,
                                   std::span<const ObjectId> ids, const std::string& label) {
  ProgressBar bar(label, "objects");
  TransferOptions options;
  options.progress = [&bar](const TransferProgress& p) {
    bar.Update(p.objects_done, p.objects_total, p.bytes_done, p.bytes_total);
  };
  return direction == Direction::kUpload ? UploadObjects(store, remote, ids, options)
                                         : DownloadObjects(store, remote, ids, options);
}

Status TransferFailures(const TransferReport& report) {
  if (report.failed.empty()) return OkStatus();
  const Status& first = report.failed.front().second;
  if (report.failed.size() == 1) return first;
  return Status(first.code(), fmt::format("{} (and {} more object(s) failed)", first.message(), report.failed.size() - 1));
}

}  // namespace gitmodel::cli
