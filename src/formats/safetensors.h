// Internals shared by the safetensors reader and the Hugging Face sharded-index reader.
//
// safetensors layout (docs/formats.md): u64 LE header length N, N bytes of
// UTF-8 JSON, then the data buffer the header's data_offsets index into.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "formats/checkpoint_impl.h"

namespace gitmodel {

struct JsonMember;

// A parsed JSON value that keeps object members in file order. Untrusted headers are parsed
// into this rather than nlohmann::json, which sorts (or, ordered, scans linearly) object keys.
struct JsonValue {
  enum class Kind : uint8_t { kNull, kBool, kInt, kUInt, kFloat, kString, kArray, kObject };
  Kind kind = Kind::kNull;
  bool bool_value = false;
  int64_t int_value = 0;        // kInt (negative integers only, as nlohmann reports them)
  uint64_t uint_value = 0;      // kUInt
  double float_value = 0;       // kFloat, and integers too large for 64 bits
  std::string text;             // kString
  std::vector<JsonValue> items;                          // kArray
  std::vector<JsonMember> members;  // kObject, in file order
};

struct JsonMember {
  std::string key;
  JsonValue value;
};

// "a string", "an integer", "an object"... for messages.
std::string_view JsonKindName(JsonValue::Kind kind);

// A name from an untrusted file, safe for a one-line message: control characters escaped,
// invalid UTF-8 replaced, cut at 200 bytes with "...".
std::string NameForMessage(std::string_view name);

// Parses `text` as one JSON value. Strict: invalid UTF-8, trailing data and duplicate keys in any
// object are errors (kCorrupt, naming the byte offset or the key); nesting deeper than
// `max_depth` is kLimit. `what` starts messages ("safetensors header").
Result<JsonValue> ParseStrictJson(std::string_view text, std::string_view what, int max_depth = 128);

// What one safetensors file added to a Checkpoint::Impl.
struct SafetensorsSummary {
  uint64_t header_bytes = 0;                                  // N
  size_t first_tensor = 0;                                    // its tensors are impl.tensors
  size_t tensor_count = 0;                                    //   [first_tensor, +tensor_count)
  std::vector<std::pair<std::string, std::string>> metadata;  // __metadata__, in file order
};

// Validates the safetensors file mapped as impl.mappings[file_index] as the reference
// implementation does and appends its tensors to impl.tensors in data-offset order, each a
// contiguous view of its own bytes in the mapping. Reads only the header; touches neither
// impl.root, impl.format nor impl.details. On error impl.tensors may hold some of its tensors.
Result<SafetensorsSummary> AppendSafetensorsTensors(Checkpoint::Impl& impl, int file_index);

// A kDict node mapping each tensor's name (kString) to a kTensor node, in impl.tensors order.
Node* BuildTensorDict(Checkpoint::Impl& impl);

}  // namespace gitmodel
