// Helpers shared by the fuzz targets: the input as bytes, a sink that makes the compiler (and
// AddressSanitizer) actually read the bytes a parser hands out, and a per-process temporary file
// for the readers that take a mapped file.
#pragma once

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <span>
#include <string>

namespace gitmodel::fuzz {

inline std::span<const std::byte> AsBytes(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const std::byte*>(data), size};
}

// Reads the first, middle and last byte of `bytes` (enough for ASan to flag a span that points
// outside its buffer) into a value the optimiser cannot drop.
inline volatile uint8_t touch_sink = 0;
inline void Touch(std::span<const std::byte> bytes) {
  if (bytes.empty()) return;
  touch_sink = static_cast<uint8_t>(static_cast<uint8_t>(bytes.front()) ^ static_cast<uint8_t>(bytes[bytes.size() / 2]) ^
                              static_cast<uint8_t>(bytes.back()));
}

// Writes the input to "$TMPDIR/gitmodel-fuzz-<pid><suffix>" (removed at exit) and returns that
// path, or "" if it cannot be written. The suffix keeps name-based sniffing (".json": a sharded
// index) out of the way, and distinct suffixes give distinct files (fuzz_diff maps two at once).
// One file per suffix and process, so parallel fuzzing jobs do not collide.
inline std::string WriteTempFile(std::span<const std::byte> bytes, const char* suffix) {
  static std::set<std::string> written_paths;
  static const bool registered = [] {
    return std::atexit([] {
      for (const std::string& p : written_paths) std::remove(p.c_str());
    }) == 0;
  }();
  (void)registered;
  const char* dir = std::getenv("TMPDIR");
  const std::string path = std::string(dir && *dir ? dir : "/tmp") + "/gitmodel-fuzz-" + std::to_string(getpid()) + suffix;
  written_paths.insert(path);
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return "";
  const bool written = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  return std::fclose(f) == 0 && written ? path : "";
}

}  // namespace gitmodel::fuzz
