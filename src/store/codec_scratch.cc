#include "store/codec_scratch.h"

#include <sys/mman.h>

#include <cstdint>

namespace gitmodel {
namespace {

constexpr size_t kHugePage = size_t{2} << 20;

}  // namespace

ScratchBuffer::ScratchBuffer(size_t size) : size_(size) {
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
  if (mapping_ != nullptr) ::munmap(mapping_, mapping_size_);
}

}  // namespace gitmodel
