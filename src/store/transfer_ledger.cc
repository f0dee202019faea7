#include "store/transfer_ledger.h"

#include <random>
#include <thread>

namespace gitmodel {
namespace {

std::chrono::milliseconds Jittered(std::chrono::milliseconds delay) {
  thread_local std::mt19937_64 random{std::random_device{}()};
  auto low = delay.count() / 2;
  return std::chrono::milliseconds(std::uniform_int_distribution<long long>(low, delay.count())(random));
}

}  // namespace

Status RetryTransient(const TransferOptions& options, const std::function<Status()>& attempt) {
  std::chrono::milliseconds delay = options.first_backoff;
  for (int tries = 0;; ++tries) {
    Status status = attempt();
    if (status.ok() || !IsRetryable(status) || tries >= options.retries) return status;
    std::this_thread::sleep_for(Jittered(delay));
    delay = std::min(delay * 2, std::chrono::milliseconds(60'000));
  }
}

TransferLedger::TransferLedger(const TransferOptions& options, size_t objects_total, uint64_t bytes_total)
    : options_(options) {
  progress_.objects_total = objects_total;
  progress_.bytes_total = bytes_total;
}

void TransferLedger::AddToTotal(size_t objects) {
  std::lock_guard lock(mu_);
  progress_.objects_total += objects;
}

void TransferLedger::Transferred(const ObjectId& id, uint64_t bytes) {
  std::lock_guard lock(mu_);
  ++report_.transferred;
  report_.bytes += bytes;
  progress_.bytes_done += bytes;
  ReportProgress();
}

void TransferLedger::AlreadyThere(const ObjectId& id, uint64_t bytes) {
  std::lock_guard lock(mu_);
  ++report_.already_there;
  progress_.bytes_done += bytes;
  ReportProgress();
}

void TransferLedger::Failed(const ObjectId& id, Status status) {
  std::lock_guard lock(mu_);
  if (!failed_.insert(id).second) return;
  report_.failed.emplace_back(id, std::move(status));
  ReportProgress();
}

bool TransferLedger::HasFailed(const ObjectId& id) const {
  std::lock_guard lock(mu_);
  return failed_.contains(id);
}

TransferReport TransferLedger::Finish() {
  std::lock_guard lock(mu_);
  return std::move(report_);
}

void TransferLedger::ReportProgress() {
  ++progress_.objects_done;
  if (options_.progress) options_.progress(progress_);
}

}  // namespace gitmodel
