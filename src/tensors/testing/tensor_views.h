// Hand-made tensors for unit tests: strided views over byte buffers the test owns.
#pragma once

#include <cstring>
#include <initializer_list>
#include <span>
#include <string>
#include <vector>

#include "gitmodel/checkpoint.h"

namespace gitmodel::testutil {

template <typename T>
std::vector<std::byte> BytesOf(const std::vector<T>& values) {
  std::vector<std::byte> out(values.size() * sizeof(T));
  std::memcpy(out.data(), values.data(), out.size());
  return out;
}

inline std::vector<std::byte> Hex(std::initializer_list<int> bytes) {
  std::vector<std::byte> out;
  for (int b : bytes) out.push_back(static_cast<std::byte>(b));
  return out;
}

// A view of `storage` (borrowed: it must outlive the TensorRef), named as storage `key`.
inline TensorRef View(DType dtype, std::vector<int64_t> shape, std::vector<int64_t> strides,
                      std::span<const std::byte> storage, int64_t offset = 0, std::string key = "data/0") {
  TensorRef t;
  t.dtype = dtype;
  t.shape = std::move(shape);
  t.strides = std::move(strides);
  t.storage = storage;
  t.storage_offset = offset;
  t.storage_key = std::move(key);
  return t;
}

}  // namespace gitmodel::testutil
