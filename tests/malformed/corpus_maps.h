// Test-only: maps of well-formed corpus files for the malformed-input generator: where each zip
// record, directory entry and end record starts, and where each pickle opcode starts. Written
// independently of the library's parsers, so truncation points do not inherit their mistakes. The
// files are trusted (tests/corpus/real): anything unexpected throws std::runtime_error.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace gitmodel::malformed {

using Bytes = std::vector<std::byte>;

[[noreturn]] inline void Die(const std::string& why) { throw std::runtime_error(why); }

// The little-endian integer of `width` bytes at `at`.
inline uint64_t Get(const Bytes& b, uint64_t at, int width) {
  if (at > b.size() || b.size() - at < static_cast<uint64_t>(width)) Die("read past the end of a corpus file");
  uint64_t v = 0;
  for (int i = width - 1; i >= 0; --i) v = v << 8 | static_cast<uint8_t>(b[at + i]);
  return v;
}

struct ZipMap {
  struct Entry {
    uint64_t local = 0, data = 0, data_end = 0, central = 0;
  };
  std::vector<Entry> entries;
  uint64_t cd = 0;
  std::optional<uint64_t> zip64_end, locator;
  uint64_t eocd = 0;
};

inline ZipMap MapZip(const Bytes& b) {
  ZipMap m;
  uint64_t pos = b.size() - 22;
  while (Get(b, pos, 4) != 0x06054b50) {
    if (pos == 0) Die("corpus zip has no end record");
    --pos;
  }
  m.eocd = pos;
  uint64_t count = Get(b, pos + 10, 2);
  m.cd = Get(b, pos + 16, 4);
  if (pos >= 20 && Get(b, pos - 20, 4) == 0x07064b50) {
    m.locator = pos - 20;
    m.zip64_end = Get(b, *m.locator + 8, 8);
    count = Get(b, *m.zip64_end + 32, 8);
    m.cd = Get(b, *m.zip64_end + 48, 8);
  }
  uint64_t at = m.cd;
  for (uint64_t i = 0; i < count; ++i) {
    if (Get(b, at, 4) != 0x02014b50) Die("corpus zip: bad central entry");
    ZipMap::Entry e;
    e.central = at;
    e.local = Get(b, at + 42, 4);
    const uint64_t csize = Get(b, at + 20, 4);
    if (e.local == 0xFFFFFFFF || csize == 0xFFFFFFFF) Die("corpus zip needs ZIP64 fields; pick a smaller file");
    e.data = e.local + 30 + Get(b, e.local + 26, 2) + Get(b, e.local + 28, 2);
    e.data_end = e.data + csize;
    m.entries.push_back(e);
    at += 46 + Get(b, at + 28, 2) + Get(b, at + 30, 2) + Get(b, at + 32, 2);
  }
  return m;
}

// Where the argument of the opcode at `pos` ends, for protocols 0-5.
inline uint64_t OpcodeEnd(const Bytes& b, uint64_t pos) {
  auto line_end = [&](uint64_t from) {
    while (from < b.size() && b[from] != std::byte{'\n'}) ++from;
    if (from == b.size()) Die("corpus pickle: unterminated line");
    return from + 1;
  };
  const uint8_t op = static_cast<uint8_t>(b[pos]);
  const uint64_t arg = pos + 1;
  switch (op) {
    case 'K': case 'q': case 'h': case 0x80: case 0x82: return arg + 1;
    case 'M': case 0x83: return arg + 2;
    case 'J': case 'r': case 'j': case 0x84: return arg + 4;
    case 'G': case 0x95: return arg + 8;
    case 'U': case 'C': case 0x8c: case 0x8a: return arg + 1 + Get(b, arg, 1);
    case 'X': case 'T': case 'B': case 0x8b: return arg + 4 + Get(b, arg, 4);
    case 0x8d: case 0x8e: case 0x96: return arg + 8 + Get(b, arg, 8);
    case 'F': case 'I': case 'L': case 'S': case 'V': case 'p': case 'g': case 'P': return line_end(arg);
    case 'c': case 'i': return line_end(line_end(arg));
  }
  if (std::string_view("().012N]}ltdaesuRbQo").find(static_cast<char>(op)) != std::string_view::npos) return arg;
  if (op >= 0x81 && op <= 0x98) return arg;  // NEWOBJ, TUPLE1-3, NEWTRUE/FALSE, sets, MEMOIZE...
  Die("corpus pickle: unknown opcode");
}

// Offsets of every opcode of the pickle starting at `start`; *end receives the offset after STOP.
inline std::vector<uint64_t> PickleOpcodes(const Bytes& b, uint64_t start, uint64_t* end) {
  std::vector<uint64_t> ops;
  for (uint64_t pos = start; pos < b.size(); pos = OpcodeEnd(b, pos)) {
    ops.push_back(pos);
    if (b[pos] == std::byte{'.'}) {
      *end = pos + 1;
      return ops;
    }
  }
  Die("corpus pickle: no STOP");
}

}  // namespace gitmodel::malformed
