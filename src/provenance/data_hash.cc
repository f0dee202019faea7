#include "provenance/data_hash.h"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <mutex>

#include "base/parallel.h"
#include "provenance/data_file_hash.h"
#include "provenance/data_walk.h"
#include "provenance/stat_cache.h"

namespace gitmodel {
namespace {

constexpr uint64_t kProgressStepBytes = 64ull << 20;

// Serialises progress calls from the worker threads and thins them out.
class ProgressMeter {
 public:
  ProgressMeter(const DataHashOptions& options, uint64_t total) : fn_(options.progress), total_(total) {}
  void Add(uint64_t bytes, bool file_done) {
    if (!fn_) return;
    std::lock_guard lock(mu_);
    done_ += bytes;
    if (!file_done && done_ - reported_ < kProgressStepBytes) return;
    reported_ = done_;
    fn_(done_, total_);
  }

 private:
  const std::function<void(uint64_t, uint64_t)>& fn_;
  uint64_t total_;
  std::mutex mu_;
  uint64_t done_ = 0, reported_ = 0;
};

int64_t RealNowNs() {
  auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
  return std::chrono::duration_cast<std::chrono::nanoseconds>(since_epoch).count();
}

// A cache inside the data set would change the data set's hash each time it is saved.
Status CheckCacheOutside(const std::string& cache_path, const WalkResult& walk) {
  if (cache_path.empty() || !walk.directory) return OkStatus();
  std::error_code ec;
  auto cache = std::filesystem::weakly_canonical(cache_path, ec).string();
  auto root = std::filesystem::weakly_canonical(walk.absolute_root, ec).string();
  if (!ec && cache.starts_with(root == "/" ? root : root + "/"))
    return InvalidArgument("{}: the stat cache {} must not lie inside the data it caches", walk.absolute_root, cache_path);
  return OkStatus();
}

struct HashJob {
  const WalkResult& walk;
  const DataHashOptions& options;
  StatCache& cache;
  DataHashStats& stats;
  std::vector<EntryDigest> digests;
};

// Digests from the cache; returns the indices that must be read.
std::vector<size_t> UseCache(HashJob& job, ProgressMeter& meter) {
  std::vector<size_t> todo;
  const auto& entries = job.walk.entries;
  job.digests.resize(entries.size());
  for (size_t i = 0; i < entries.size(); ++i) {
    std::optional<Digest> cached;
    if (!entries[i].symlink) cached = job.cache.Lookup(entries[i].absolute_path, entries[i].stat);
    if (!cached) {
      todo.push_back(i);
      continue;
    }
    job.digests[i] = {*cached, entries[i].stat.size};
    ++job.stats.files_from_cache;
    meter.Add(entries[i].stat.size, true);
  }
  return todo;
}

Status HashEntries(HashJob& job, const std::vector<size_t>& todo, ProgressMeter& meter) {
  std::vector<Status> errors(todo.size());
  std::atomic<bool> failed{false};
  ParallelFor(todo.size(), [&](size_t k) {
    if (failed) return;
    const WalkEntry& e = job.walk.entries[todo[k]];
    auto d = e.symlink ? HashSymlink(e) : HashRegularFile(e, [&](uint64_t n) { meter.Add(n, false); });
    if (!d.ok()) {
      errors[k] = d.status();
      failed = true;
      return;
    }
    job.digests[todo[k]] = *d;
    if (!e.symlink) meter.Add(0, true);
  }, job.options.threads);
  for (const Status& s : errors) GM_RETURN_IF_ERROR(s);
  return OkStatus();
}

void UpdateCache(HashJob& job, const std::vector<size_t>& hashed, int64_t started_ns) {
  for (size_t i : hashed) {
    const WalkEntry& e = job.walk.entries[i];
    if (e.symlink) continue;
    ++job.stats.files_hashed;
    job.stats.bytes_hashed += e.stat.size;
    if (!job.options.cache_path.empty()) job.cache.Insert(e.absolute_path, e.stat, job.digests[i].digest, started_ns);
  }
  if (job.options.cache_path.empty()) return;
  if (job.walk.directory) job.cache.ForgetUnusedUnder(job.walk.absolute_root);
  if (!job.cache.modified()) return;
  Status saved = job.cache.Save(job.options.cache_path);
  if (!saved.ok()) job.stats.cache_note = "stat cache not saved: " + saved.message();
}

DataDigest Summarise(const std::string& path, const HashJob& job, std::vector<DataFileEntry>* files_out) {
  DataDigest out{path, "", job.walk.entries.size(), 0};
  Sha256 tree;
  tree.Update(std::string_view(kDataTreeFormat));
  tree.Update(std::string_view("\n"));
  for (size_t i = 0; i < job.walk.entries.size(); ++i) {
    const WalkEntry& e = job.walk.entries[i];
    const EntryDigest& d = job.digests[i];
    std::string hex = ToHex(d.digest);
    tree.Update(fmt::format("{} {} {} {}\n", e.symlink ? 'L' : 'F', hex, d.size, e.relative_path));
    if (!e.symlink) out.bytes += d.size;
    if (files_out) files_out->push_back({e.relative_path, std::move(hex), d.size, e.symlink});
  }
  out.tree_hash = ToHex(tree.Finish());
  return out;
}

}  // namespace

Result<DataDigest> HashData(const std::string& path, const DataHashOptions& options,
                            std::vector<DataFileEntry>* files_out) {
  int64_t started_ns = options.now_ns ? options.now_ns() : RealNowNs();  // before any stat
  GM_ASSIGN_OR_RETURN(WalkResult walk, WalkData(path, {options.max_files, options.max_depth}));
  GM_RETURN_IF_ERROR(CheckCacheOutside(options.cache_path, walk));
  DataHashStats stats;
  StatCache cache;
  if (!options.cache_path.empty()) cache = StatCache::Load(options.cache_path, &stats.cache_note);
  uint64_t total = 0;
  for (const WalkEntry& e : walk.entries) total += e.symlink ? 0 : e.stat.size;
  ProgressMeter meter(options, total);
  HashJob job{walk, options, cache, stats, {}};
  std::vector<size_t> todo = UseCache(job, meter);
  GM_RETURN_IF_ERROR(HashEntries(job, todo, meter));
  UpdateCache(job, todo, started_ns);
  if (options.stats) *options.stats = stats;
  if (files_out) files_out->clear();
  return Summarise(path, job, files_out);
}

}  // namespace gitmodel
