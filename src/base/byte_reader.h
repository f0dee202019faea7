// Bounds-checked little-endian reads from a borrowed byte span.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string_view>

namespace gitmodel {

// Reads fixed-size little-endian integers at absolute offsets; every read is checked.
class ByteView {
 public:
  explicit ByteView(std::span<const std::byte> bytes) : bytes_(bytes) {}
  size_t size() const { return bytes_.size(); }
  std::span<const std::byte> span() const { return bytes_; }

  // True when [offset, offset + length) lies inside the view (overflow-safe).
  bool Contains(uint64_t offset, uint64_t length) const {
    return offset <= bytes_.size() && length <= bytes_.size() - offset;
  }
  template <typename T>
  std::optional<T> Read(uint64_t offset) const {
    if (!Contains(offset, sizeof(T))) return std::nullopt;
    T value;
    std::memcpy(&value, bytes_.data() + offset, sizeof(T));
    return value;  // host is little-endian (checked in byte_reader.cc)
  }
  std::optional<std::span<const std::byte>> Slice(uint64_t offset, uint64_t length) const {
    if (!Contains(offset, length)) return std::nullopt;
    return bytes_.subspan(offset, length);
  }
  std::optional<std::string_view> Text(uint64_t offset, uint64_t length) const {
    auto s = Slice(offset, length);
    if (!s) return std::nullopt;
    return std::string_view(reinterpret_cast<const char*>(s->data()), s->size());
  }

 private:
  std::span<const std::byte> bytes_;
};

inline std::string_view AsText(std::span<const std::byte> bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

}  // namespace gitmodel
