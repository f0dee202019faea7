// Shared by UploadObjects and DownloadObjects (transfer.h): retrying transient failures, and the
// report and progress of a transfer under one lock, so workers may record from any thread.
#pragma once

#include <functional>
#include <mutex>
#include <set>

#include "store/transfer.h"

namespace gitmodel {

// Runs `attempt` until it succeeds, fails for good (not IsRetryable) or has been tried
// 1 + options.retries times, sleeping first_backoff * 2^n (jittered to 50-100%) in between.
Status RetryTransient(const TransferOptions& options, const std::function<Status()>& attempt);

class TransferLedger {
 public:
  TransferLedger(const TransferOptions& options, size_t objects_total, uint64_t bytes_total);

  void AddToTotal(size_t objects);
  void Transferred(const ObjectId& id, uint64_t bytes);
  void AlreadyThere(const ObjectId& id, uint64_t bytes);  // bytes count as done, not as moved
  void Failed(const ObjectId& id, Status status);
  bool HasFailed(const ObjectId& id) const;
  TransferReport Finish();

 private:
  void ReportProgress();  // mu_ held: progress callbacks never overlap

  const TransferOptions& options_;
  mutable std::mutex mu_;
  TransferReport report_;
  TransferProgress progress_;
  std::set<ObjectId> failed_;
};

}  // namespace gitmodel
