#include "git/binary_delta.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace gitmodel {
namespace {

constexpr size_t kBlock = 512;
constexpr size_t kMaxCopy = 0xff0000;  // under the 24-bit size field
constexpr size_t kMaxInsert = 0x7f;

class DeltaWriter {
 public:
  DeltaWriter(size_t src_size, size_t dst_size) {
    Varint(src_size);
    Varint(dst_size);
  }
  void Copy(size_t offset, size_t size) {
    for (; size > 0; offset += std::min(size, kMaxCopy), size -= std::min(size, kMaxCopy)) {
      CopyOne(static_cast<uint32_t>(offset), static_cast<uint32_t>(std::min(size, kMaxCopy)));
    }
  }
  void Insert(const std::byte* bytes, size_t size) {
    for (size_t done = 0; done < size; done += kMaxInsert) {
      size_t n = std::min(kMaxInsert, size - done);
      out_.push_back(static_cast<std::byte>(n));
      out_.insert(out_.end(), bytes + done, bytes + done + n);
    }
  }
  std::vector<std::byte> Take() { return std::move(out_); }
  size_t size() const { return out_.size(); }

 private:
  void Varint(size_t v) {
    do {
      uint8_t b = v & 0x7f;
      v >>= 7;
      out_.push_back(static_cast<std::byte>(v ? b | 0x80 : b));
    } while (v);
  }
  // Appends `b` unless it is zero; returns `flag` when appended.
  uint8_t Field(uint8_t b, int flag) {
    if (b == 0) return 0;
    out_.push_back(static_cast<std::byte>(b));
    return static_cast<uint8_t>(flag);
  }
  void CopyOne(uint32_t offset, uint32_t size) {
    size_t cmd = out_.size();
    out_.push_back(std::byte{0x80});
    uint8_t flags = 0x80;
    // Only the non-zero bytes of offset (4) and size (3) are written; a flag bit marks each.
    for (int i = 0; i < 4; ++i) flags |= Field(static_cast<uint8_t>(offset >> (8 * i)), 1 << i);
    for (int i = 0; i < 3; ++i) flags |= Field(static_cast<uint8_t>(size >> (8 * i)), 0x10 << i);
    out_[cmd] = static_cast<std::byte>(flags);
  }
  std::vector<std::byte> out_;
};

size_t CommonPrefix(std::span<const std::byte> a, std::span<const std::byte> b) {
  size_t n = std::min(a.size(), b.size()), i = 0;
  for (; i + kBlock <= n && std::memcmp(a.data() + i, b.data() + i, kBlock) == 0; i += kBlock) {
  }
  while (i < n && a[i] == b[i]) ++i;
  return i;
}

size_t CommonSuffix(std::span<const std::byte> a, std::span<const std::byte> b, size_t limit) {
  const std::byte* a_end = a.data() + a.size();
  const std::byte* b_end = b.data() + b.size();
  size_t i = 0;
  for (; i + kBlock <= limit && std::memcmp(a_end - i - kBlock, b_end - i - kBlock, kBlock) == 0; i += kBlock) {
  }
  while (i < limit && a_end[-1 - static_cast<ptrdiff_t>(i)] == b_end[-1 - static_cast<ptrdiff_t>(i)]) ++i;
  return i;
}

void Flush(std::span<const std::byte> dst, size_t begin, size_t end, bool copy, DeltaWriter& w) {
  if (end <= begin) return;
  if (copy) {
    w.Copy(begin, end - begin);
  } else {
    w.Insert(dst.data() + begin, end - begin);
  }
}

// dst[begin, end), all within src too: blocks equal at the same offset become copies, the rest inserts.
void SameOffsetMiddle(std::span<const std::byte> src, std::span<const std::byte> dst, size_t begin, size_t end,
                      DeltaWriter& w) {
  size_t run = begin;  // start of the pending run
  bool copying = false;
  for (size_t at = begin; at < end; at += kBlock) {
    size_t n = std::min(kBlock, end - at);
    bool equal = std::memcmp(src.data() + at, dst.data() + at, n) == 0;
    if (equal == copying) continue;
    Flush(dst, run, at, copying, w);
    run = at;
    copying = equal;
  }
  Flush(dst, run, end, copying, w);
}

}  // namespace

std::optional<std::vector<std::byte>> SameOffsetDelta(std::span<const std::byte> src, std::span<const std::byte> dst) {
  if (src.size() >= (uint64_t{1} << 32)) return std::nullopt;
  size_t prefix = CommonPrefix(src, dst);
  size_t suffix = CommonSuffix(src, dst, std::min(src.size(), dst.size()) - prefix);
  DeltaWriter w(src.size(), dst.size());
  w.Copy(0, prefix);
  // Between prefix and suffix: same-offset blocks where src reaches, inserts beyond it.
  size_t middle_end = dst.size() - suffix;
  size_t comparable_end = std::min(middle_end, src.size());
  SameOffsetMiddle(src, dst, prefix, comparable_end, w);
  if (middle_end > comparable_end) w.Insert(dst.data() + comparable_end, middle_end - comparable_end);
  w.Copy(src.size() - suffix, suffix);
  if (w.size() >= dst.size() / 2) return std::nullopt;
  return w.Take();
}

}  // namespace gitmodel
