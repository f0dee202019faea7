// safetensors files: validated as the reference implementation (huggingface/safetensors) does.
#include "formats/safetensors.h"

#include <algorithm>
#include <limits>
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
constexpr std::string_view kMetadataKey = "__metadata__";

// One header entry, checked for types but not yet against the data buffer.
struct Entry {
  std::string name;
  DType dtype = DType::kUInt8;
  std::vector<int64_t> shape;
  uint64_t begin = 0, end = 0;  // data_offsets, relative to the data buffer
};

// Reads the header's JSON events into entries and metadata. Unknown entry fields are ignored,
// as serde ignores them; duplicate keys are errors (serde would keep the last tensor silently).
class HeaderReader : public JsonEvents {
 public:
  HeaderReader() : JsonEvents("safetensors header") {}
  std::vector<Entry> entries;
  std::vector<std::pair<std::string, std::string>> metadata;

 private:
  enum class Where { kTop, kEntry, kMetadata, kShape, kOffsets };

  bool OnStart(JsonKind kind) override {
    if (open_.empty()) {
      if (kind != JsonKind::kObject) return Fail(Corrupt("safetensors header is {}, not an object", JsonKindName(kind)));
      open_.push_back(Where::kTop);
      return true;
    }
    switch (open_.back()) {
      case Where::kTop: return StartTopValue(kind);
      case Where::kEntry: return StartField(kind);
      case Where::kMetadata: return MetadataValue(kind);
      case Where::kShape: return Dimension(kind, 0);
      case Where::kOffsets: return Fail(OffsetsError());
    }
    return false;
  }

  bool OnScalar(JsonScalar& v) override {
    if (open_.empty()) return Fail(Corrupt("safetensors header is {}, not an object", JsonKindName(v.kind)));
    switch (open_.back()) {
      case Where::kTop:
        if (key_ == kMetadataKey && v.kind == JsonKind::kNull) return true;  // Option<HashMap>: None
        return StartTopValue(v.kind);
      case Where::kEntry: return ScalarField(v);
      case Where::kMetadata:
        if (v.kind != JsonKind::kString) return MetadataValue(v.kind);
        metadata.emplace_back(std::move(key_), std::move(v.text));
        return true;
      case Where::kShape: return Dimension(v.kind, v.AsUnsigned());
      case Where::kOffsets:
        if (!v.IsNonNegativeInteger() || offsets_seen_ >= 2) return Fail(OffsetsError());
        (offsets_seen_++ == 0 ? entry_.begin : entry_.end) = v.AsUnsigned();
        return true;
    }
    return false;
  }

  bool OnKey(std::string& key) override {
    Where where = open_.back();
    auto& seen = where == Where::kTop ? names_ : fields_;
    if (!seen.insert(key).second) return Fail(Corrupt("safetensors header has duplicate key '{}'", NameForMessage(key)));
    key_ = std::move(key);
    return true;
  }

  bool OnEnd() override {
    Where where = open_.back();
    open_.pop_back();
    if (where == Where::kOffsets && offsets_seen_ != 2) return Fail(OffsetsError());
    if (where == Where::kEntry) return FinishEntry();
    return true;
  }

  // A value of the top-level object: a tensor entry or __metadata__, both objects.
  bool StartTopValue(JsonKind kind) {
    if (key_ == kMetadataKey) {
      if (kind != JsonKind::kObject) return Fail(Corrupt("safetensors __metadata__ is {}, not an object", JsonKindName(kind)));
      fields_.clear();
      open_.push_back(Where::kMetadata);
      return true;
    }
    if (kind != JsonKind::kObject)
      return Fail(Corrupt("safetensors tensor '{}' is {}, not an object", NameForMessage(key_), JsonKindName(kind)));
    entry_ = Entry();
    entry_.name = std::move(key_);
    has_dtype_ = has_shape_ = has_offsets_ = false;
    fields_.clear();
    open_.push_back(Where::kEntry);
    return true;
  }

  bool StartField(JsonKind kind) {
    if (key_ == "dtype") return Fail(Corrupt("safetensors tensor '{}' dtype is {}, not a string", Name(), JsonKindName(kind)));
    if (key_ == "shape" && kind == JsonKind::kArray) {
      has_shape_ = true;
      open_.push_back(Where::kShape);
    } else if (key_ == "shape") {
      return Fail(Corrupt("safetensors tensor '{}' shape is {}, not an array", Name(), JsonKindName(kind)));
    } else if (key_ == "data_offsets" && kind == JsonKind::kArray) {
      has_offsets_ = true;
      offsets_seen_ = 0;
      open_.push_back(Where::kOffsets);
    } else if (key_ == "data_offsets") {
      return Fail(OffsetsError());
    } else {
      Skip();
    }
    return true;
  }

  bool ScalarField(const JsonScalar& v) {
    if (key_ == "dtype") {
      if (v.kind != JsonKind::kString)
        return Fail(Corrupt("safetensors tensor '{}' dtype is {}, not a string", Name(), JsonKindName(v.kind)));
      auto dtype = DTypeFromSafetensors(v.text);
      if (!dtype) return Fail(Unsupported("safetensors tensor '{}' has unknown dtype '{}'", Name(), NameForMessage(v.text)));
      entry_.dtype = *dtype;
      has_dtype_ = true;
      return true;
    }
    if (key_ == "shape" || key_ == "data_offsets") return StartField(v.kind);
    return true;  // an unknown field
  }

  bool MetadataValue(JsonKind kind) {
    return Fail(Corrupt("safetensors __metadata__ value '{}' is {}, not a string", NameForMessage(key_), JsonKindName(kind)));
  }

  bool Dimension(JsonKind kind, uint64_t d) {
    if (kind != JsonKind::kUInt && kind != JsonKind::kInt)
      return Fail(Corrupt("safetensors tensor '{}' shape holds {}, not a non-negative integer", Name(), JsonKindName(kind)));
    if (kind == JsonKind::kInt && static_cast<int64_t>(d) < 0)
      return Fail(Corrupt("safetensors tensor '{}' shape holds a negative integer", Name()));
    if (d > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
      return Fail(LimitExceeded("safetensors tensor '{}' has a dimension of {}, beyond 64-bit signed sizes", Name(), d));
    entry_.shape.push_back(static_cast<int64_t>(d));
    return true;
  }

  bool FinishEntry() {
    const char* missing = !has_dtype_ ? "dtype" : !has_shape_ ? "shape" : !has_offsets_ ? "data_offsets" : nullptr;
    if (missing) return Fail(Corrupt("safetensors tensor '{}' has no {}", Name(), missing));
    entries.push_back(std::move(entry_));
    return true;
  }

  std::string Name() const { return NameForMessage(entry_.name); }
  Status OffsetsError() const {
    return Corrupt("safetensors tensor '{}' data_offsets must be two non-negative integers [begin, end]", Name());
  }

  std::vector<Where> open_;
  std::string key_;                        // the innermost object's current key
  std::unordered_set<std::string> names_;  // top-level keys
  std::unordered_set<std::string> fields_; // keys of the open entry or __metadata__
  Entry entry_;
  bool has_dtype_ = false, has_shape_ = false, has_offsets_ = false;
  int offsets_seen_ = 0;
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

}  // namespace

// --- JsonEvents ---

bool JsonEvents::boolean(bool v) {
  JsonScalar s;
  s.kind = JsonKind::kBool;
  s.bool_value = v;
  return Scalar(s);
}
bool JsonEvents::number_integer(int64_t v) {
  JsonScalar s;
  s.kind = JsonKind::kInt;
  s.int_value = v;
  return Scalar(s);
}
bool JsonEvents::number_unsigned(uint64_t v) {
  JsonScalar s;
  s.kind = JsonKind::kUInt;
  s.uint_value = v;
  return Scalar(s);
}
bool JsonEvents::number_float(double v, const std::string&) {
  JsonScalar s;
  s.kind = JsonKind::kFloat;
  s.float_value = v;
  return Scalar(s);
}
bool JsonEvents::string(std::string& v) {
  JsonScalar s;
  s.kind = JsonKind::kString;
  if (skip_ == 0) s.text = std::move(v);
  return Scalar(s);
}

bool JsonEvents::Start(JsonKind kind) {
  if (++depth_ > max_depth_) return Fail(LimitExceeded("{} nests deeper than {} levels", what_, max_depth_));
  if (skip_ > 0) {
    ++skip_;
    return true;
  }
  return OnStart(kind);
}

bool JsonEvents::End() {
  --depth_;
  if (skip_ > 0) {
    --skip_;
    return true;
  }
  return OnEnd();
}

bool JsonEvents::SyntaxError(std::string_view message) {
  // nlohmann: "[json.exception.parse_error.101] parse error at line 1, column 9: ..."
  if (auto pos = message.find("] "); message.starts_with("[json.exception") && pos != message.npos) message.remove_prefix(pos + 2);
  return Fail(Corrupt("{} is not valid JSON: {}", what_, NameForMessage(message)));
}

Status ParseJson(std::string_view text, JsonEvents& handler) {
  if (nlohmann::json::sax_parse(text.begin(), text.end(), &handler)) return OkStatus();
  if (!handler.error().ok()) return handler.error();
  return Corrupt("{} is not valid JSON", handler.what());
}

std::string_view JsonKindName(JsonKind kind) {
  switch (kind) {
    case JsonKind::kNull: return "null";
    case JsonKind::kBool: return "a boolean";
    case JsonKind::kInt: case JsonKind::kUInt: return "an integer";
    case JsonKind::kFloat: return "a float";
    case JsonKind::kString: return "a string";
    case JsonKind::kArray: return "an array";
    case JsonKind::kObject: return "an object";
  }
  return "a value";
}

std::string NameForMessage(std::string_view name) {
  if (name.size() <= kMaxMessageName) return ValidUtf8(name);
  return ValidUtf8(name.substr(0, kMaxMessageName)) + "...";
}

// --- safetensors ---

Result<SafetensorsSummary> AppendSafetensorsTensors(Checkpoint::Impl& impl, int file_index) {
  std::span<const std::byte> bytes = impl.mappings[static_cast<size_t>(file_index)]->bytes();
  GM_ASSIGN_OR_RETURN(std::string_view text, HeaderText(bytes));
  HeaderReader header;
  GM_RETURN_IF_ERROR(ParseJson(text, header));
  std::vector<Entry>& entries = header.entries;
  // Stable: tensors at the same offset (empty ones) keep their header order.
  std::stable_sort(entries.begin(), entries.end(),
                   [](const Entry& a, const Entry& b) { return std::pair(a.begin, a.end) < std::pair(b.begin, b.end); });
  GM_ASSIGN_OR_RETURN(uint64_t data_end, CheckTiling(entries));
  const uint64_t data_start = 8 + text.size();
  GM_RETURN_IF_ERROR(CheckFileLength(entries, data_start, data_end, bytes.size()));

  std::vector<TensorRef> tensors(entries.size());
  for (size_t i = 0; i < entries.size(); ++i) {
    Entry& e = entries[i];
    TensorRef& t = tensors[i];
    GM_ASSIGN_OR_RETURN(t.strides, ContiguousStrides(e));
    t.dtype = e.dtype;
    t.shape = std::move(e.shape);
    t.storage_key = e.name;
    t.name = std::move(e.name);
    t.storage = bytes.subspan(data_start + e.begin, e.end - e.begin);
    t.storage_file_offset = data_start + e.begin;
    t.file_index = file_index;
  }
  SafetensorsSummary summary{.header_bytes = text.size(), .first_tensor = impl.tensors.size(),
                             .tensor_count = tensors.size(), .metadata = std::move(header.metadata)};
  std::move(tensors.begin(), tensors.end(), std::back_inserter(impl.tensors));
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
