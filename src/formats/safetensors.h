// Internals shared by the safetensors reader and the Hugging Face sharded-index reader.
//
// safetensors layout (docs/FORMATS-REFERENCE.md section 4): u64 LE header length N, N bytes of
// UTF-8 JSON, then the data buffer the header's data_offsets index into.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "formats/checkpoint_impl.h"

namespace gitmodel {

// --- Typed reading of untrusted JSON -------------------------------------------------------
//
// Headers and indexes are read from nlohmann's SAX events straight into the structures they
// describe, as serde reads them into the reference's structs: no document tree is built, so
// memory stays proportional to what the file describes, not to its JSON values (a 100 MB header
// of `[0,0,0,...]` would otherwise cost gigabytes).

enum class JsonKind : uint8_t { kNull, kBool, kInt, kUInt, kFloat, kString, kArray, kObject };
std::string_view JsonKindName(JsonKind kind);  // "a string", "an integer", "an object"...

// A scalar value event. nlohmann reports non-negative integers as kUInt and negative ones as kInt;
// integers beyond 64 bits arrive as kFloat.
struct JsonScalar {
  JsonKind kind = JsonKind::kNull;
  bool bool_value = false;
  int64_t int_value = 0;
  uint64_t uint_value = 0;
  double float_value = 0;
  std::string text;  // kString
  bool IsNonNegativeInteger() const { return kind == JsonKind::kUInt || (kind == JsonKind::kInt && int_value >= 0); }
  uint64_t AsUnsigned() const { return kind == JsonKind::kUInt ? uint_value : static_cast<uint64_t>(int_value); }
};

// Adapts nlohmann's SAX interface to a typed reader. Subclasses see each scalar, each container
// start (OnStart), each object key and each container end; a handler returns false after Fail()
// to stop parsing. Skip() in OnStart ignores the container being opened, whatever it holds.
// Nesting deeper than `max_depth` fails with kLimit.
class JsonEvents {
 public:
  JsonEvents(std::string_view what, size_t max_depth = 128) : what_(what), max_depth_(max_depth) {}
  virtual ~JsonEvents() = default;
  const Status& error() const { return error_; }
  std::string_view what() const { return what_; }

  // nlohmann's SAX interface.
  bool null() {
    JsonScalar s;
    return Scalar(s);
  }
  bool boolean(bool v);
  bool number_integer(int64_t v);
  bool number_unsigned(uint64_t v);
  bool number_float(double v, const std::string&);
  bool string(std::string& v);
  template <typename Binary>
  bool binary(Binary&) { return false; }  // never produced by the JSON lexer
  bool start_object(size_t) { return Start(JsonKind::kObject); }
  bool start_array(size_t) { return Start(JsonKind::kArray); }
  bool key(std::string& k) { return skip_ > 0 || OnKey(k); }
  bool end_object() { return End(); }
  bool end_array() { return End(); }
  template <typename Exception>
  bool parse_error(size_t, const std::string&, const Exception& ex) { return SyntaxError(ex.what()); }

 protected:
  virtual bool OnScalar(JsonScalar& v) = 0;
  virtual bool OnStart(JsonKind kind) = 0;
  virtual bool OnKey(std::string& key) = 0;
  virtual bool OnEnd() = 0;
  bool Fail(Status s) {
    error_ = std::move(s);
    return false;
  }
  void Skip() { skip_ = 1; }

 private:
  bool Scalar(JsonScalar& v) { return skip_ > 0 || OnScalar(v); }
  bool Start(JsonKind kind);
  bool End();
  bool SyntaxError(std::string_view message);

  std::string_view what_;
  size_t max_depth_;
  size_t depth_ = 0;
  size_t skip_ = 0;  // > 0: inside a skipped container, this many levels deep
  Status error_;
};

// Feeds `text` to `handler`. Strict JSON: invalid UTF-8 and trailing data are errors ("<what> is
// not valid JSON: parse error at line 1, column 9: ..."), as are the handler's own failures.
Status ParseJson(std::string_view text, JsonEvents& handler);

// A name from an untrusted file, safe for a one-line message: control characters escaped,
// invalid UTF-8 replaced, cut at 200 bytes with "...".
std::string NameForMessage(std::string_view name);

// --- safetensors -------------------------------------------------------------------------

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
// impl.root, impl.format nor impl.details. On error impl.tensors is unchanged.
Result<SafetensorsSummary> AppendSafetensorsTensors(Checkpoint::Impl& impl, int file_index);

// A kDict node mapping each tensor's name (kString) to a kTensor node, in impl.tensors order.
Node* BuildTensorDict(Checkpoint::Impl& impl);

}  // namespace gitmodel
