// DownloadObjects (transfer.h): rounds of parallel downloads. An object whose delta base is not
// local waits (its file kept in <root>/tmp) while the next round fetches the base; waiting objects
// are installed, bases first, as soon as their bases are.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <map>
#include <set>

#include "base/parallel.h"
#include "store/transfer.h"
#include "store/transfer_ledger.h"

namespace gitmodel {
namespace {

constexpr auto kStaleTempAge = std::chrono::hours(24);

struct Waiting {  // downloaded, its delta base not yet local
  ObjectId base;
  uint8_t depth = 0;
  uint64_t bytes = 0;
};

Result<ObjectHeader> ReadHeader(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return IOError("cannot open {}", path);
  std::byte head[kMaxObjectHeaderBytes];
  ssize_t n = pread(fd, head, sizeof head, 0);
  close(fd);
  if (n < 0) return IOError("cannot read {}", path);
  return ParseObjectHeader(std::span(head, static_cast<size_t>(n)));
}

uint64_t FileBytes(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
}

// Temp files of runs killed long ago: "<hex>.<tag>.download" and AtomicFileWriter's
// ".<name>.tmp-XXXXXX" beside them.
void RemoveStaleDownloads(const std::string& dir) {
  std::error_code ec;
  auto now = std::filesystem::file_time_type::clock::now();
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    std::string name = entry.path().filename().string();
    if (name.find(".download") == std::string::npos) continue;
    std::error_code time_ec;
    auto modified = entry.last_write_time(time_ec);
    if (!time_ec && now - modified > kStaleTempAge) std::filesystem::remove(entry.path(), time_ec);
  }
}

class Downloader {
 public:
  Downloader(const ObjectStore& store, Remote& remote, const TransferOptions& options, TransferLedger& ledger,
             std::string tmp_dir)
      : store_(store), remote_(remote), options_(options), ledger_(ledger), tmp_dir_(std::move(tmp_dir)) {
    static std::atomic<unsigned> runs{0};
    run_tag_ = fmt::format("{}-{}", getpid(), runs++);
  }

  void Run(std::vector<ObjectId> wanted) {
    for (int round = 0; !wanted.empty() && round <= kMaxDeltaDepth; ++round) {
      if (round > 0) ledger_.AddToTotal(wanted.size());
      requested_.insert(wanted.begin(), wanted.end());
      ParallelFor(wanted.size(), [&](size_t i) { Fetch(wanted[i]); }, std::max(1u, options_.jobs));
      InstallWaiting();
      wanted = MissingBases();
    }
    for (const auto& [id, waiting] : waiting_) {
      Discard(id);
      ledger_.Failed(id, Corrupt("object {} from {}: its delta base {} could not be installed (a chain longer "
                                 "than {} or a cycle)",
                                 ObjectHex(id), remote_.Describe(), ObjectHex(waiting.base), kMaxDeltaDepth));
    }
  }

 private:
  // Private to this run (Adopt checks a file, then renames it: nobody else may write it meanwhile).
  std::string TempPath(const ObjectId& id) const {
    return fmt::format("{}/{}.{}.download", tmp_dir_, ObjectHex(id), run_tag_);
  }
  void Discard(const ObjectId& id) const { unlink(TempPath(id).c_str()); }

  void Fetch(const ObjectId& id) {
    std::string path = TempPath(id);
    Status got = RetryTransient(options_, [&] { return remote_.Get(id, path); });
    if (!got.ok()) return ledger_.Failed(id, got);
    uint64_t bytes = FileBytes(path);
    Result<ObjectHeader> header = ReadHeader(path);
    if (!header.ok()) return Reject(id, header.status());
    if (header->base && !store_.Contains(*header->base)) {
      std::lock_guard lock(mu_);
      waiting_[id] = Waiting{*header->base, header->depth, bytes};
      return;
    }
    Install(id, bytes);
  }

  void Install(const ObjectId& id, uint64_t bytes) {
    Status adopted = store_.Adopt(id, TempPath(id));
    if (!adopted.ok()) return Reject(id, adopted);  // Adopt removed the file when it succeeded
    ledger_.Transferred(id, bytes);
  }

  // "object <hex> from <remote>: corrupt: <why>", without the temp path and id the store's
  // message starts with.
  void Reject(const ObjectId& id, const Status& status) {
    std::string_view why = status.message();
    for (const std::string& prefix : {TempPath(id) + ": ", "object " + ObjectHex(id) + ": "}) {
      if (why.starts_with(prefix)) why.remove_prefix(prefix.size());
    }
    Discard(id);
    std::string_view kind = status.code() == Code::kCorrupt ? "corrupt: " : "";
    ledger_.Failed(id, Status(status.code(), fmt::format("object {} from {}: {}{}", ObjectHex(id),
                                                         remote_.Describe(), kind, why)));
  }

  // Installs, lowest depth first, every waiting object whose base is now local.
  void InstallWaiting() {
    std::vector<std::pair<uint8_t, ObjectId>> order;
    for (const auto& [id, waiting] : waiting_) order.emplace_back(waiting.depth, id);
    std::sort(order.begin(), order.end());
    for (const auto& [depth, id] : order) {
      const Waiting waiting = waiting_.at(id);
      if (!store_.Contains(waiting.base)) continue;
      waiting_.erase(id);
      Install(id, waiting.bytes);
    }
  }

  // Bases still missing that no round has asked for; objects whose base failed fail too.
  std::vector<ObjectId> MissingBases() {
    std::set<ObjectId> next;
    for (auto it = waiting_.begin(); it != waiting_.end();) {
      const auto& [id, waiting] = *it;
      if (ledger_.HasFailed(waiting.base)) {
        Discard(id);
        ledger_.Failed(id, NotFound("object {} from {}: its delta base {} could not be downloaded",
                                    ObjectHex(id), remote_.Describe(), ObjectHex(waiting.base)));
        it = waiting_.erase(it);
        continue;
      }
      if (!requested_.contains(waiting.base)) next.insert(waiting.base);
      ++it;
    }
    return std::vector<ObjectId>(next.begin(), next.end());
  }

  const ObjectStore& store_;
  Remote& remote_;
  const TransferOptions& options_;
  TransferLedger& ledger_;
  std::string tmp_dir_;
  std::string run_tag_;  // "<pid>-<run>"
  std::mutex mu_;                         // guards waiting_ during a round
  std::map<ObjectId, Waiting> waiting_;
  std::set<ObjectId> requested_;
};

}  // namespace

Result<TransferReport> DownloadObjects(const ObjectStore& store, Remote& remote, std::span<const ObjectId> ids,
                                       const TransferOptions& options) {
  std::string tmp_dir = store.root() + "/tmp";
  std::error_code ec;
  std::filesystem::create_directories(tmp_dir, ec);
  if (ec) return IOError("{}: cannot create the download directory: {}", tmp_dir, ec.message());
  RemoveStaleDownloads(tmp_dir);

  std::set<ObjectId> unique(ids.begin(), ids.end());
  TransferLedger ledger(options, unique.size(), 0);
  std::vector<ObjectId> wanted;
  for (const ObjectId& id : unique) {
    if (store.Contains(id)) ledger.AlreadyThere(id, 0);
    else wanted.push_back(id);
  }
  Downloader(store, remote, options, ledger, tmp_dir).Run(std::move(wanted));
  return ledger.Finish();
}

}  // namespace gitmodel
