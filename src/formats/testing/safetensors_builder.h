// Test-only: an in-memory safetensors writer, with overrides for the broken files that reader
// tests, the malformed-file generator and fuzz seeds need.
//
// Default layout, as the reference writer produces it (docs/formats.md):
// u64 LE header length, the JSON header with `__metadata__` first and the tensors in the order
// they were added, padded with spaces to a multiple of 8, then each tensor's data in that order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gitmodel::testutil {

struct SafetensorsAddOptions {
  // Recorded as data_offsets instead of the real [begin, end) (for gaps, overlaps, past-the-end).
  std::optional<std::pair<uint64_t, uint64_t>> data_offsets;
  // The entry's whole JSON value, verbatim (for missing fields, wrong types); data is still added.
  std::optional<std::string> raw_entry;
};

struct SafetensorsFinishOptions {
  std::optional<uint64_t> header_length;  // recorded N instead of the real (padded) length
  std::optional<std::string> header;      // header text verbatim instead of the generated JSON
  uint32_t pad_to = 8;                    // pad the header with spaces to a multiple; 0 or 1: none
  std::vector<std::byte> trailing;        // appended after the data buffer
};

class SafetensorsBuilder {
 public:
  // Appends a tensor: its entry goes to the header, `data` to the data buffer. `dtype` is written
  // verbatim (unknown names allowed) and names may repeat (duplicate-key tests); names are
  // JSON-escaped but bytes >= 0x80 are kept, so invalid UTF-8 can be written too.
  SafetensorsBuilder& Add(std::string name, std::string dtype, std::vector<int64_t> shape,
                          std::span<const std::byte> data, const SafetensorsAddOptions& options = {});
  // Same with data of the right size for a known dtype (bytes 0, 1, 2, ...); 0 bytes if unknown.
  SafetensorsBuilder& Add(std::string name, std::string dtype, std::vector<int64_t> shape,
                          const SafetensorsAddOptions& options = {});
  // A `__metadata__` entry with a string value, or with `json_value` verbatim (non-string tests).
  SafetensorsBuilder& Metadata(std::string key, std::string value);
  SafetensorsBuilder& MetadataRaw(std::string key, std::string json_value);

  // The generated header JSON, before padding.
  std::string Header() const;
  // The whole file. May be called more than once.
  std::vector<std::byte> Finish(const SafetensorsFinishOptions& options = {}) const;

 private:
  struct Tensor {
    std::string name, dtype;
    std::vector<int64_t> shape;
    uint64_t begin = 0, end = 0;
    SafetensorsAddOptions options;
  };
  std::vector<Tensor> tensors_;
  std::vector<std::pair<std::string, std::string>> metadata_;  // key, JSON value
  std::vector<std::byte> data_;
};

// `text` as a JSON string literal, quotes included.
std::string JsonQuote(std::string_view text);

}  // namespace gitmodel::testutil
