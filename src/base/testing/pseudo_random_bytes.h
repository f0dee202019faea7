// Deterministic pseudo-random bytes for tests (a linear congruential generator; not for crypto).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace gitmodel::testutil {

inline std::vector<std::byte> PseudoRandomBytes(size_t size, uint32_t seed) {
  std::vector<std::byte> out(size);
  uint32_t x = seed * 2654435761u + 1;
  for (auto& b : out) {
    x = x * 1664525u + 1013904223u;
    b = static_cast<std::byte>(x >> 24);
  }
  return out;
}

}  // namespace gitmodel::testutil
