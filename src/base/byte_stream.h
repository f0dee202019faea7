// Sequential little-endian binary encoding for git-model's own compact files (caches,
// manifests): ByteWriter appends, ByteCursor reads back with every read bounds-checked.
//
// A cursor is sticky: after the first failed read it stays failed, and every later read returns
// zero or empty, so a decoder may read a whole record and check ok() once at the end.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace gitmodel {

class ByteWriter {
 public:
  template <typename T>
    requires std::is_arithmetic_v<T>
  void Put(T value) {  // host is little-endian (checked in byte_reader.cc)
    out_.append(reinterpret_cast<const char*>(&value), sizeof(T));
  }
  // A u32 length, then the bytes.
  void PutString(std::string_view text) {
    Put(static_cast<uint32_t>(text.size()));
    out_.append(text);
  }
  const std::string& bytes() const { return out_; }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

class ByteCursor {
 public:
  explicit ByteCursor(std::string_view bytes) : bytes_(bytes) {}

  bool ok() const { return ok_; }
  bool AtEnd() const { return ok_ && at_ == bytes_.size(); }
  size_t remaining() const { return ok_ ? bytes_.size() - at_ : 0; }

  template <typename T>
    requires std::is_arithmetic_v<T>
  T Get() {
    T value{};
    if (!Need(sizeof(T))) return value;
    std::memcpy(&value, bytes_.data() + at_, sizeof(T));
    at_ += sizeof(T);
    return value;
  }
  // A string PutString wrote; a view into the cursor's bytes.
  std::string_view GetString() {
    const uint32_t size = Get<uint32_t>();
    if (!Need(size)) return {};
    std::string_view out = bytes_.substr(at_, size);
    at_ += size;
    return out;
  }
  // A count of items that each take at least `min_item_bytes`: fails when the rest of the input
  // cannot hold that many, so a corrupt count never makes a decoder reserve or loop for long.
  uint32_t GetCount(size_t min_item_bytes) {
    const uint32_t count = Get<uint32_t>();
    if (ok_ && min_item_bytes > 0 && count > remaining() / min_item_bytes) ok_ = false;
    return ok_ ? count : 0;
  }
  void Fail() { ok_ = false; }

 private:
  bool Need(size_t size) {
    if (ok_ && size > bytes_.size() - at_) ok_ = false;
    return ok_;
  }

  std::string_view bytes_;
  size_t at_ = 0;
  bool ok_ = true;
};

}  // namespace gitmodel
