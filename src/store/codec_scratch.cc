#include "store/codec_scratch.h"

#include <sys/mman.h>

#include <algorithm>
#include <cstdint>
#include <mutex>
#include <optional>
#include <vector>

namespace gitmodel {
namespace {

constexpr size_t kHugePage = size_t{2} << 20;

// Released mappings kept for reuse, their pages still faulted in: the next chunk decoded (usually
// of the same size) takes one instead of faulting 64 MiB in again. Shared by all threads, because
// the smudge filter decodes each window on fresh threads: a per-thread cache never got a second
// use there. At most kMaxCached mappings stay, the largest ones (a few 64 MiB chunks' worth).
constexpr size_t kMaxCached = 4;

struct Mapping {
  void* start = nullptr;
  size_t size = 0;
};

class MappingPool {
 public:
  ~MappingPool() {
    for (const Mapping& m : free_) ::munmap(m.start, m.size);
  }
  // The smallest kept mapping of at least `size` bytes, if any.
  std::optional<Mapping> Take(size_t size) {
    std::lock_guard lock(mutex_);
    auto best = free_.end();
    for (auto it = free_.begin(); it != free_.end(); ++it) {
      if (it->size >= size && (best == free_.end() || it->size < best->size)) best = it;
    }
    if (best == free_.end()) return std::nullopt;
    Mapping taken = *best;
    free_.erase(best);
    return taken;
  }
  // Keeps `m`, or unmaps it (or the smallest kept one) when kMaxCached are kept already.
  void Give(Mapping m) {
    std::unique_lock lock(mutex_);
    if (free_.size() == kMaxCached) {
      auto smallest = std::min_element(free_.begin(), free_.end(), [](auto& a, auto& b) { return a.size < b.size; });
      if (smallest->size < m.size) std::swap(*smallest, m);
      lock.unlock();
      ::munmap(m.start, m.size);
      return;
    }
    free_.push_back(m);
  }

 private:
  std::mutex mutex_;
  std::vector<Mapping> free_;
};

MappingPool& Pool() {
  static MappingPool* pool = new MappingPool;  // never destroyed: threads may release at exit
  return *pool;
}

std::byte* HugePageAligned(void* mapping) {
  const uintptr_t start = (reinterpret_cast<uintptr_t>(mapping) + kHugePage - 1) & ~(kHugePage - 1);
  return reinterpret_cast<std::byte*>(start);
}

}  // namespace

ScratchBuffer::ScratchBuffer(size_t size) : size_(size) {
  if (size >= kHugePage) {
    const size_t mapping_size = size + kHugePage;  // room to align the start to a huge page
    std::optional<Mapping> kept = Pool().Take(mapping_size);
    if (!kept) {
      void* fresh = ::mmap(nullptr, mapping_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      if (fresh != MAP_FAILED) {
        kept = Mapping{fresh, mapping_size};
        ::madvise(HugePageAligned(fresh), size, MADV_HUGEPAGE);  // advice only: failure just means small pages
      }
    }
    if (kept) {
      mapping_ = kept->start;
      mapping_size_ = kept->size;
      data_ = HugePageAligned(mapping_);
      return;
    }
  }
  heap_ = std::make_unique_for_overwrite<std::byte[]>(size);
  data_ = heap_.get();
}

ScratchBuffer::~ScratchBuffer() {
  if (mapping_ != nullptr) Pool().Give(Mapping{mapping_, mapping_size_});
}

}  // namespace gitmodel
