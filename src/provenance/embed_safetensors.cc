// The record as __metadata__["git-model.provenance"] of a safetensors file.
//
// The header is not rebuilt from a document tree: a scan finds the top-level "__metadata__" value,
// only that object is parsed and re-serialized, and every other byte of the header (tensor
// entries, their order, unknown fields) is kept. Memory stays proportional to the header's text,
// and the tensor data is copied unchanged, since data_offsets are relative to the data start.
#include <nlohmann/json.hpp>

#include "base/atomic_file.h"
#include "base/byte_reader.h"
#include "base/mapped_file.h"
#include "provenance/embed_internal.h"

namespace gitmodel::embed_internal {
namespace {

constexpr uint64_t kMaxHeaderBytes = 100'000'000;  // the reference implementation's limit
constexpr std::string_view kMetadataKey = "__metadata__";
constexpr std::string_view kWhitespace = " \t\r\n";

// Walks a JSON text that was validated before; fails closed (kCorrupt) on anything unexpected.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : s_(text) {}
  size_t pos() const { return pos_; }
  bool AtEnd() const { return pos_ >= s_.size(); }
  char Peek() const { return AtEnd() ? '\0' : s_[pos_]; }
  void SkipWhitespace() {
    while (!AtEnd() && kWhitespace.find(s_[pos_]) != std::string_view::npos) ++pos_;
  }
  Status Expect(char c) {
    SkipWhitespace();
    if (Peek() != c) return Error(fmt::format("expected '{}'", c));
    ++pos_;
    return OkStatus();
  }
  // A string literal, quotes included.
  Result<std::string_view> String() {
    SkipWhitespace();
    const size_t begin = pos_;
    if (Peek() != '"') return Error("expected a string");
    for (++pos_; !AtEnd(); ++pos_) {
      if (s_[pos_] == '\\') ++pos_;
      else if (s_[pos_] == '"') return s_.substr(begin, ++pos_ - begin);
    }
    return Error("unterminated string");
  }
  // Any value; returns its text.
  Result<std::string_view> Value() {
    SkipWhitespace();
    const size_t begin = pos_;
    if (Peek() == '"') return String();
    if (Peek() != '{' && Peek() != '[') {
      while (!AtEnd() && std::string_view(",}] \t\r\n").find(s_[pos_]) == std::string_view::npos) ++pos_;
      if (pos_ == begin) return Error("expected a value");
      return s_.substr(begin, pos_ - begin);
    }
    for (size_t depth = 0; !AtEnd();) {
      char c = s_[pos_];
      if (c == '"') {
        GM_RETURN_IF_ERROR(String().status());
        continue;
      }
      ++pos_;
      if (c == '{' || c == '[') ++depth;
      if ((c == '}' || c == ']') && --depth == 0) return s_.substr(begin, pos_ - begin);
    }
    return Error("unterminated object or array");
  }

 private:
  Status Error(std::string_view what) const {
    return Corrupt("safetensors header: {} at byte {}", what, pos_);
  }
  std::string_view s_;
  size_t pos_ = 0;
};

// The decoded text of a key literal ("\u005f_metadata__" is __metadata__ too).
std::string DecodeKey(std::string_view literal) {
  if (literal.find('\\') == std::string_view::npos) return std::string(literal.substr(1, literal.size() - 2));
  nlohmann::json decoded = nlohmann::json::parse(literal, nullptr, /*allow_exceptions=*/false);
  return decoded.is_string() ? decoded.get<std::string>() : std::string();
}

struct MetadataSpan {
  size_t begin = 0, end = 0;  // the value of "__metadata__"; empty when absent
  bool object_empty = true;   // the header has no key at all
};

Result<MetadataSpan> FindMetadata(std::string_view header) {
  Scanner scan(header);
  MetadataSpan found;
  GM_RETURN_IF_ERROR(scan.Expect('{'));
  scan.SkipWhitespace();
  if (scan.Peek() == '}') return found;
  found.object_empty = false;
  for (;;) {
    GM_ASSIGN_OR_RETURN(std::string_view key, scan.String());
    GM_RETURN_IF_ERROR(scan.Expect(':'));
    GM_ASSIGN_OR_RETURN(std::string_view value, scan.Value());
    if (DecodeKey(key) == kMetadataKey) {
      found.end = scan.pos();
      found.begin = found.end - value.size();
    }
    scan.SkipWhitespace();
    if (scan.Peek() != ',') break;
    GM_RETURN_IF_ERROR(scan.Expect(','));
  }
  GM_RETURN_IF_ERROR(scan.Expect('}'));
  return found;
}

// The metadata object with `key` set, serialized compactly (non-ASCII kept as UTF-8).
Result<std::string> UpdatedMetadata(std::string_view old_value, std::string_view key, std::string_view value) {
  try {
    nlohmann::ordered_json meta = nlohmann::ordered_json::object();
    if (!old_value.empty() && old_value != "null") meta = nlohmann::ordered_json::parse(old_value);
    if (!meta.is_object()) return Corrupt("safetensors __metadata__ is not an object");
    meta[std::string(key)] = std::string(value);
    return meta.dump();
  } catch (const nlohmann::json::exception& e) {
    return Corrupt("safetensors __metadata__ cannot be updated: {}", e.what());
  }
}

}  // namespace

Result<std::string> SetHeaderMetadata(std::string_view header, std::string_view key, std::string_view value) {
  GM_ASSIGN_OR_RETURN(MetadataSpan span, FindMetadata(header));
  GM_ASSIGN_OR_RETURN(std::string meta,
                      UpdatedMetadata(header.substr(span.begin, span.end - span.begin), key, value));
  std::string out;
  if (span.end > 0) {
    out = std::string(header.substr(0, span.begin)) + meta + std::string(header.substr(span.end));
  } else {  // first, as the reference writer puts it
    size_t brace = header.find('{');
    out = std::string(header.substr(0, brace + 1)) + "\"" + std::string(kMetadataKey) + "\":" + meta +
          (span.object_empty ? "" : ",") + std::string(header.substr(brace + 1));
  }
  out.erase(out.find_last_not_of(kWhitespace) + 1);  // the old padding
  out.append((8 - out.size() % 8) % 8, ' ');
  if (out.size() > kMaxHeaderBytes)
    return LimitExceeded("safetensors header would grow to {} bytes with the record, over the limit of {}",
                         out.size(), kMaxHeaderBytes);
  return out;
}

Result<EmbeddedRecord> WriteSafetensorsRecord(const std::string& path, std::string_view record) {
  GM_ASSIGN_OR_RETURN(std::unique_ptr<MappedFile> file, MappedFile::Open(path));
  ByteView bytes(file->bytes());
  auto n = bytes.Read<uint64_t>(0);
  auto header = n && *n <= kMaxHeaderBytes ? bytes.Text(8, *n) : std::nullopt;
  if (!header) return Corrupt("{}: not a safetensors file (bad header length)", path);
  auto updated = SetHeaderMetadata(*header, kRecordMetadataKey, record);
  if (!updated.ok()) return updated.status().WithContext(path);
  GM_ASSIGN_OR_RETURN(SourceFile source, SourceFile::Open(path, bytes.size()));
  GM_ASSIGN_OR_RETURN(AtomicFileWriter out, AtomicFileWriter::Create(path));
  uint64_t length = updated->size();
  GM_RETURN_IF_ERROR(out.Write(std::as_bytes(std::span(&length, 1))));  // little-endian host
  GM_RETURN_IF_ERROR(out.Write(*updated));
  const uint64_t data_start = 8 + header->size();
  GM_RETURN_IF_ERROR(out.CopyFrom(source.fd(), data_start, bytes.size() - data_start));
  GM_RETURN_IF_ERROR(out.Commit());
  return EmbeddedRecord{RecordLocation::kSafetensorsMetadata, std::string(record),
                        fmt::format("{}[{}]", kMetadataKey, kRecordMetadataKey)};
}

}  // namespace gitmodel::embed_internal
