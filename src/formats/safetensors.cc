// safetensors files: validated as the reference implementation (huggingface/safetensors) does.
#include "formats/safetensors.h"

#include <algorithm>
#include <limits>
#include <optional>
#include <unordered_set>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "base/byte_reader.h"
#include "formats/node_text.h"

namespace gitmodel {
namespace {

constexpr uint64_t kMaxHeaderBytes = 100'000'000;  // the reference's MAX_HEADER_SIZE
constexpr size_t kMaxMessageName = 200;

// Builds a JsonValue from nlohmann's SAX events, rejecting duplicate keys and deep nesting.
class StrictJsonHandler {
 public:
  using Kind = JsonValue::Kind;
  StrictJsonHandler(JsonValue& root, std::string_view what, int max_depth)
      : root_(root), what_(what), max_depth_(static_cast<size_t>(max_depth)) {}
  const Status& error() const { return error_; }

  bool null() { return Put(JsonValue{}) != nullptr; }
  bool boolean(bool v) { return Put(Scalar(Kind::kBool, [&](JsonValue& j) { j.bool_value = v; })); }
  bool number_integer(int64_t v) { return Put(Scalar(Kind::kInt, [&](JsonValue& j) { j.int_value = v; })); }
  bool number_unsigned(uint64_t v) { return Put(Scalar(Kind::kUInt, [&](JsonValue& j) { j.uint_value = v; })); }
  bool number_float(double v, const std::string&) {
    return Put(Scalar(Kind::kFloat, [&](JsonValue& j) { j.float_value = v; }));
  }
  bool string(std::string& v) { return Put(Scalar(Kind::kString, [&](JsonValue& j) { j.text = std::move(v); })); }
  bool binary(nlohmann::json::binary_t&) { return false; }  // never produced by the JSON lexer
  bool start_object(size_t) {
    if (!Open(Kind::kObject)) return false;
    keys_.emplace_back();
    return true;
  }
  bool key(std::string& k) {
    if (!keys_.back().insert(k).second) {
      error_ = Corrupt("{} has duplicate key '{}'", what_, NameForMessage(k));
      return false;
    }
    pending_key_ = std::move(k);
    return true;
  }
  bool end_object() {
    keys_.pop_back();
    open_.pop_back();
    return true;
  }
  bool start_array(size_t) { return Open(Kind::kArray); }
  bool end_array() {
    open_.pop_back();
    return true;
  }
  bool parse_error(size_t, const std::string&, const nlohmann::detail::exception& ex) {
    std::string_view text = ex.what();
    if (auto pos = text.find("] "); text.starts_with("[json.exception") && pos != text.npos) text.remove_prefix(pos + 2);
    error_ = Corrupt("{} is not valid JSON: {}", what_, NameForMessage(text));
    return false;
  }

 private:
  template <typename Set>
  static JsonValue Scalar(Kind kind, Set set) {
    JsonValue v;
    v.kind = kind;
    set(v);
    return v;
  }
  // Stores `v` in the innermost open container (or as the root). Pointers in open_ stay valid:
  // only the innermost container grows.
  JsonValue* Put(JsonValue v) {
    if (open_.empty()) {
      root_ = std::move(v);
      return &root_;
    }
    JsonValue* top = open_.back();
    if (top->kind == Kind::kArray) return &top->items.emplace_back(std::move(v));
    top->members.push_back({std::move(pending_key_), std::move(v)});
    return &top->members.back().value;
  }
  bool Open(Kind kind) {
    if (open_.size() >= max_depth_) {
      error_ = LimitExceeded("{} nests deeper than {} levels", what_, max_depth_);
      return false;
    }
    JsonValue v;
    v.kind = kind;
    open_.push_back(Put(std::move(v)));
    return true;
  }

  JsonValue& root_;
  std::string_view what_;
  size_t max_depth_;
  std::vector<JsonValue*> open_;
  std::vector<std::unordered_set<std::string>> keys_;
  std::string pending_key_;
  Status error_;
};

// One header entry, checked for types but not yet against the data buffer.
struct Entry {
  std::string name;
  DType dtype = DType::kUInt8;
  std::vector<int64_t> shape;
  uint64_t begin = 0, end = 0;  // data_offsets, relative to the data buffer
};

std::string ShapeText(const std::vector<int64_t>& shape) { return fmt::format("[{}]", fmt::join(shape, ", ")); }
std::string_view SafetensorsName(DType dtype) { return Info(dtype).safetensors_name; }

// The JSON header text after the 8-byte length, checked as the reference checks it.
Result<std::string_view> HeaderText(std::span<const std::byte> bytes) {
  ByteView view(bytes);
  auto n = view.Read<uint64_t>(0);
  if (!n) return Corrupt("safetensors file is {} bytes, too short for the 8-byte header length", bytes.size());
  if (*n > kMaxHeaderBytes) return LimitExceeded("safetensors header length {} exceeds the limit of {} bytes", *n, kMaxHeaderBytes);
  auto text = view.Text(8, *n);
  if (!text) return Corrupt("safetensors header length {} exceeds the file's {} bytes", *n, bytes.size());
  if (!text->starts_with('{')) return Corrupt("safetensors header does not start with '{{'");
  return *text;
}

bool IsNonNegativeInteger(const JsonValue& v) {
  return v.kind == JsonValue::Kind::kUInt || (v.kind == JsonValue::Kind::kInt && v.int_value >= 0);
}
uint64_t AsUnsigned(const JsonValue& v) {
  return v.kind == JsonValue::Kind::kUInt ? v.uint_value : static_cast<uint64_t>(v.int_value);
}

const JsonValue* Member(const JsonValue& object, std::string_view key) {
  for (const auto& [k, v] : object.members)
    if (k == key) return &v;
  return nullptr;
}

Result<DType> ReadDType(std::string_view name, const JsonValue& v) {
  if (v.kind != JsonValue::Kind::kString)
    return Corrupt("safetensors tensor '{}' dtype is {}, not a string", name, JsonKindName(v.kind));
  auto dtype = DTypeFromSafetensors(v.text);
  if (!dtype) return Unsupported("safetensors tensor '{}' has unknown dtype '{}'", name, NameForMessage(v.text));
  return *dtype;
}

Result<std::vector<int64_t>> ReadShape(std::string_view name, const JsonValue& v) {
  if (v.kind != JsonValue::Kind::kArray)
    return Corrupt("safetensors tensor '{}' shape is {}, not an array", name, JsonKindName(v.kind));
  std::vector<int64_t> shape;
  shape.reserve(v.items.size());
  for (const JsonValue& d : v.items) {
    if (!IsNonNegativeInteger(d))
      return Corrupt("safetensors tensor '{}' shape holds {}, not a non-negative integer", name, JsonKindName(d.kind));
    if (AsUnsigned(d) > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
      return LimitExceeded("safetensors tensor '{}' has a dimension of {}, beyond 64-bit signed sizes", name, AsUnsigned(d));
    shape.push_back(static_cast<int64_t>(AsUnsigned(d)));
  }
  return shape;
}

Status ReadOffsets(std::string_view name, const JsonValue& v, Entry& e) {
  bool ok = v.kind == JsonValue::Kind::kArray && v.items.size() == 2 && IsNonNegativeInteger(v.items[0]) &&
            IsNonNegativeInteger(v.items[1]);
  if (!ok) return Corrupt("safetensors tensor '{}' data_offsets must be two non-negative integers [begin, end]", name);
  e.begin = AsUnsigned(v.items[0]);
  e.end = AsUnsigned(v.items[1]);
  return OkStatus();
}

Result<Entry> ReadEntry(const std::string& key, const JsonValue& v) {
  Entry e;
  e.name = key;
  std::string name = NameForMessage(key);
  if (v.kind != JsonValue::Kind::kObject)
    return Corrupt("safetensors tensor '{}' is {}, not an object", name, JsonKindName(v.kind));
  const JsonValue* dtype = Member(v, "dtype");
  const JsonValue* shape = Member(v, "shape");
  const JsonValue* offsets = Member(v, "data_offsets");
  const char* missing = !dtype ? "dtype" : !shape ? "shape" : !offsets ? "data_offsets" : nullptr;
  if (missing) return Corrupt("safetensors tensor '{}' has no {}", name, missing);
  GM_ASSIGN_OR_RETURN(e.dtype, ReadDType(name, *dtype));
  GM_ASSIGN_OR_RETURN(e.shape, ReadShape(name, *shape));
  GM_RETURN_IF_ERROR(ReadOffsets(name, *offsets, e));
  return e;
}

// __metadata__: a string -> string map, or null (the reference's Option<HashMap>).
Status ReadMetadata(const JsonValue& v, SafetensorsSummary& out) {
  if (v.kind == JsonValue::Kind::kNull) return OkStatus();
  if (v.kind != JsonValue::Kind::kObject)
    return Corrupt("safetensors __metadata__ is {}, not an object", JsonKindName(v.kind));
  for (const auto& [k, value] : v.members) {
    if (value.kind != JsonValue::Kind::kString)
      return Corrupt("safetensors __metadata__ value '{}' is {}, not a string", NameForMessage(k), JsonKindName(value.kind));
    out.metadata.emplace_back(k, value.text);
  }
  return OkStatus();
}

// Bytes the entry's dtype and shape need, computed as the reference does: the element count
// folded left to right, then bits, which must be a whole number of bytes.
Result<uint64_t> NeededBytes(const Entry& e) {
  uint64_t numel = 1, bits = 0;
  bool overflow = false;
  for (int64_t d : e.shape) overflow = overflow || __builtin_mul_overflow(numel, static_cast<uint64_t>(d), &numel);
  if (overflow || __builtin_mul_overflow(numel, uint64_t{Info(e.dtype).bits}, &bits))
    return Corrupt("safetensors tensor '{}' {} {} overflows 64-bit sizes", NameForMessage(e.name), SafetensorsName(e.dtype), ShapeText(e.shape));
  if (bits % 8 != 0)
    return Corrupt("safetensors tensor '{}' {} {} is {} bits, not a whole number of bytes", NameForMessage(e.name),
                   SafetensorsName(e.dtype), ShapeText(e.shape), bits);
  return bits / 8;
}

// Sorted by offset, the entries must tile the data buffer: returns where the last one ends.
Result<uint64_t> CheckTiling(const std::vector<Entry>& sorted) {
  uint64_t expected = 0;
  const Entry* prev = nullptr;
  for (const Entry& e : sorted) {
    std::string name = NameForMessage(e.name);
    if (e.end < e.begin) return Corrupt("safetensors tensor '{}' has data_offsets [{}, {}): end before begin", name, e.begin, e.end);
    if (e.begin < expected)
      return Corrupt("safetensors tensors '{}' [{}, {}) and '{}' [{}, {}) overlap", NameForMessage(prev->name), prev->begin,
                     prev->end, name, e.begin, e.end);
    if (e.begin > expected && !prev)
      return Corrupt("safetensors data buffer has a gap: [0, {}) before tensor '{}' belongs to no tensor", e.begin, name);
    if (e.begin > expected)
      return Corrupt("safetensors data buffer has a gap: [{}, {}) between tensors '{}' and '{}' belongs to no tensor", expected,
                     e.begin, NameForMessage(prev->name), name);
    GM_ASSIGN_OR_RETURN(uint64_t needed, NeededBytes(e));
    if (e.end - e.begin != needed)
      return Corrupt("safetensors tensor '{}' has data_offsets [{}, {}) but {} {} needs {} bytes", name, e.begin, e.end,
                     SafetensorsName(e.dtype), ShapeText(e.shape), needed);
    expected = e.end;
    prev = &e;
  }
  return expected;
}

Status CheckFileLength(const std::vector<Entry>& sorted, uint64_t data_start, uint64_t data_end, uint64_t file_size) {
  const uint64_t available = file_size - data_start;
  if (data_end > available) {
    return Corrupt("safetensors tensor '{}' ends at data offset {}, past the end of the file ({} bytes, {} of tensor data)",
                   NameForMessage(sorted.back().name), data_end, file_size, available);
  }
  if (data_end < available) {
    return Corrupt("safetensors file has {} bytes after the last tensor's data (tensor data ends at file offset {}, the file has {} bytes)",
                   available - data_end, data_start + data_end, file_size);
  }
  return OkStatus();
}

// Row-major strides, computed as torch does (sizes of 0 count as 1); errors only for empty
// tensors whose other dimensions are too large to index.
Result<std::vector<int64_t>> ContiguousStrides(const Entry& e) {
  std::vector<int64_t> strides(e.shape.size());
  int64_t acc = 1;
  for (size_t i = e.shape.size(); i-- > 0;) {
    strides[i] = acc;
    if (i > 0 && __builtin_mul_overflow(acc, std::max<int64_t>(e.shape[i], 1), &acc))
      return LimitExceeded("safetensors tensor '{}' shape {} is too large to index", NameForMessage(e.name), ShapeText(e.shape));
  }
  return strides;
}

Result<std::vector<Entry>> ReadEntries(const JsonValue& header, SafetensorsSummary& summary) {
  if (header.kind != JsonValue::Kind::kObject) return Corrupt("safetensors header is {}, not an object", JsonKindName(header.kind));
  std::vector<Entry> entries;
  entries.reserve(header.members.size());
  for (const auto& [key, value] : header.members) {
    if (key == "__metadata__") {
      GM_RETURN_IF_ERROR(ReadMetadata(value, summary));
      continue;
    }
    GM_ASSIGN_OR_RETURN(Entry e, ReadEntry(key, value));
    entries.push_back(std::move(e));
  }
  // Stable: tensors at the same offset (empty ones) keep their header order.
  std::stable_sort(entries.begin(), entries.end(),
                   [](const Entry& a, const Entry& b) { return std::pair(a.begin, a.end) < std::pair(b.begin, b.end); });
  return entries;
}

}  // namespace

std::string_view JsonKindName(JsonValue::Kind kind) {
  switch (kind) {
    case JsonValue::Kind::kNull: return "null";
    case JsonValue::Kind::kBool: return "a boolean";
    case JsonValue::Kind::kInt: case JsonValue::Kind::kUInt: return "an integer";
    case JsonValue::Kind::kFloat: return "a float";
    case JsonValue::Kind::kString: return "a string";
    case JsonValue::Kind::kArray: return "an array";
    case JsonValue::Kind::kObject: return "an object";
  }
  return "a value";
}

std::string NameForMessage(std::string_view name) {
  if (name.size() <= kMaxMessageName) return ValidUtf8(name);
  return ValidUtf8(name.substr(0, kMaxMessageName)) + "...";
}

Result<JsonValue> ParseStrictJson(std::string_view text, std::string_view what, int max_depth) {
  JsonValue root;
  StrictJsonHandler handler(root, what, max_depth);
  bool ok = nlohmann::json::sax_parse(text.begin(), text.end(), &handler);
  if (!ok) {
    if (!handler.error().ok()) return handler.error();
    return Corrupt("{} is not valid JSON", what);
  }
  return root;
}

Result<SafetensorsSummary> AppendSafetensorsTensors(Checkpoint::Impl& impl, int file_index) {
  std::span<const std::byte> bytes = impl.mappings[static_cast<size_t>(file_index)]->bytes();
  SafetensorsSummary summary;
  GM_ASSIGN_OR_RETURN(std::string_view text, HeaderText(bytes));
  GM_ASSIGN_OR_RETURN(JsonValue header, ParseStrictJson(text, "safetensors header"));
  GM_ASSIGN_OR_RETURN(std::vector<Entry> entries, ReadEntries(header, summary));
  GM_ASSIGN_OR_RETURN(uint64_t data_end, CheckTiling(entries));
  const uint64_t data_start = 8 + text.size();
  GM_RETURN_IF_ERROR(CheckFileLength(entries, data_start, data_end, bytes.size()));

  summary.header_bytes = text.size();
  summary.first_tensor = impl.tensors.size();
  summary.tensor_count = entries.size();
  for (Entry& e : entries) {
    TensorRef t;
    GM_ASSIGN_OR_RETURN(t.strides, ContiguousStrides(e));
    t.dtype = e.dtype;
    t.shape = std::move(e.shape);
    t.storage_key = e.name;
    t.name = std::move(e.name);
    t.storage = bytes.subspan(data_start + e.begin, e.end - e.begin);
    t.storage_file_offset = data_start + e.begin;
    t.file_index = file_index;
    impl.tensors.push_back(std::move(t));
  }
  return summary;
}

Node* BuildTensorDict(Checkpoint::Impl& impl) {
  Node* root = impl.arena.New(NodeKind::kDict);
  root->entries.reserve(impl.tensors.size());
  for (size_t i = 0; i < impl.tensors.size(); ++i) {
    Node* key = impl.arena.New(NodeKind::kString);
    key->text = impl.tensors[i].name;
    Node* value = impl.arena.New(NodeKind::kTensor);
    value->int_value = static_cast<int64_t>(i);
    root->entries.emplace_back(key, value);
  }
  return root;
}

Status ReadSafetensors(Checkpoint::Impl& impl, int file_index) {
  impl.format = Format::kSafetensors;
  GM_ASSIGN_OR_RETURN(SafetensorsSummary summary, AppendSafetensorsTensors(impl, file_index));
  impl.AddDetail("header_bytes", std::to_string(summary.header_bytes));
  impl.AddDetail("tensors", std::to_string(summary.tensor_count));
  for (auto& [key, value] : summary.metadata) impl.AddDetail("metadata." + key, std::move(value));
  impl.root = BuildTensorDict(impl);
  return OkStatus();
}

}  // namespace gitmodel
