#include "store/codec_scratch.h"

#include <sys/mman.h>

#include <cstdint>
#include <utility>

namespace gitmodel {
namespace {

constexpr size_t kHugePage = size_t{2} << 20;

// One released mapping kept per thread, its pages still faulted in: the next chunk this thread
// decodes (usually of the same size) reuses it instead of faulting 64 MiB in again. Freed when
// the thread ends.
struct CachedMapping {
  void* mapping = nullptr;
  size_t size = 0;
  ~CachedMapping() {
    if (mapping) ::munmap(mapping, size);
  }
};
thread_local CachedMapping cached;

}  // namespace

ScratchBuffer::ScratchBuffer(size_t size) : size_(size) {
  if (size >= kHugePage && cached.mapping && cached.size >= size + kHugePage) {
    mapping_ = std::exchange(cached.mapping, nullptr);
    mapping_size_ = std::exchange(cached.size, 0);
    const uintptr_t start = (reinterpret_cast<uintptr_t>(mapping_) + kHugePage - 1) & ~(kHugePage - 1);
    data_ = reinterpret_cast<std::byte*>(start);
    return;
  }
  if (size >= kHugePage) {
    const size_t mapping_size = size + kHugePage;  // room to align the start to a huge page
    void* mapping = ::mmap(nullptr, mapping_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mapping != MAP_FAILED) {
      mapping_ = mapping;
      mapping_size_ = mapping_size;
      const uintptr_t start = (reinterpret_cast<uintptr_t>(mapping) + kHugePage - 1) & ~(kHugePage - 1);
      data_ = reinterpret_cast<std::byte*>(start);
      ::madvise(data_, size, MADV_HUGEPAGE);  // advice only: failure just means small pages
      return;
    }
  }
  heap_ = std::make_unique_for_overwrite<std::byte[]>(size);
  data_ = heap_.get();
}

ScratchBuffer::~ScratchBuffer() {
  if (mapping_ == nullptr) return;
  if (mapping_size_ > cached.size) std::swap(mapping_, cached.mapping), std::swap(mapping_size_, cached.size);
  if (mapping_ != nullptr) ::munmap(mapping_, mapping_size_);
}

}  // namespace gitmodel
