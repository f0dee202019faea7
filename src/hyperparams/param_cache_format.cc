// Layout (all integers little-endian; "str" is a u32 byte length then the bytes):
//
//   magic "GMPARAMC" | u32 version | str selection (JSON text) | str tip | u32 commit count
//   commit: str id | str tree | u32 n, n × str parent | str author | str email | i64 time
//           | i32 offset minutes | str subject | u32 file count
//   file:   str path | str old_path | u8 has_error [str error] | u32 change count
//   change: str key | u8 which (bit 0: old present, bit 1: new present) | [value old] [value new]
//   value:  u8 tag, then: null/false/true nothing | i64 | u64 | f64 | str | u32 n, n × value
//
// Binary rather than JSON because reading this file is most of what a warm `git model params`
// does (docs/params.md, "The history cache"); doubles are stored bit for bit, NaN included.
#include "hyperparams/param_cache_format.h"

#include <utility>

#include "base/byte_stream.h"
#include "base/json_document.h"

namespace gitmodel {
namespace {

using nlohmann::json;

constexpr std::string_view kMagic = "GMPARAMC";
constexpr int kMaxArrayDepth = 64;

enum class ValueTag : uint8_t { kNull, kFalse, kTrue, kInt, kUint, kFloat, kString, kArray };

void PutValue(ByteWriter& out, const json& value) {
  auto tag = [&](ValueTag t) { out.Put(static_cast<uint8_t>(t)); };
  switch (value.type()) {
    case json::value_t::boolean: return tag(value.get<bool>() ? ValueTag::kTrue : ValueTag::kFalse);
    case json::value_t::number_integer: tag(ValueTag::kInt); return out.Put(value.get<int64_t>());
    case json::value_t::number_unsigned: tag(ValueTag::kUint); return out.Put(value.get<uint64_t>());
    case json::value_t::number_float: tag(ValueTag::kFloat); return out.Put(value.get<double>());
    case json::value_t::string: tag(ValueTag::kString); return out.PutString(value.get_ref<const std::string&>());
    case json::value_t::array:
      tag(ValueTag::kArray);
      out.Put(static_cast<uint32_t>(value.size()));
      for (const json& element : value) PutValue(out, element);
      return;
    default: return tag(ValueTag::kNull);  // flat values are never objects (flat_params.h)
  }
}

json GetValue(ByteCursor& in, int depth = 0) {
  switch (static_cast<ValueTag>(in.Get<uint8_t>())) {
    case ValueTag::kNull: return nullptr;
    case ValueTag::kFalse: return false;
    case ValueTag::kTrue: return true;
    case ValueTag::kInt: return in.Get<int64_t>();
    case ValueTag::kUint: return in.Get<uint64_t>();
    case ValueTag::kFloat: return in.Get<double>();
    case ValueTag::kString: return std::string(in.GetString());
    case ValueTag::kArray: {
      json out = json::array();
      const uint32_t size = in.GetCount(1);
      if (depth >= kMaxArrayDepth) in.Fail();
      for (uint32_t i = 0; i < size && in.ok(); ++i) out.push_back(GetValue(in, depth + 1));
      return out;
    }
  }
  in.Fail();
  return nullptr;
}

void PutFile(ByteWriter& out, const FileParamChanges& file) {
  out.PutString(file.path);
  out.PutString(file.old_path);
  out.Put(static_cast<uint8_t>(file.error.has_value()));
  if (file.error) out.PutString(*file.error);
  out.Put(static_cast<uint32_t>(file.changes.size()));
  for (const ParamChange& change : file.changes) {
    out.PutString(change.key);
    out.Put(static_cast<uint8_t>((change.old_value ? 1 : 0) | (change.new_value ? 2 : 0)));
    if (change.old_value) PutValue(out, *change.old_value);
    if (change.new_value) PutValue(out, *change.new_value);
  }
}

FileParamChanges GetFile(ByteCursor& in) {
  FileParamChanges file;
  file.path = in.GetString();
  file.old_path = in.GetString();
  const uint8_t has_error = in.Get<uint8_t>();
  if (has_error > 1) in.Fail();  // only 0 and 1 are written: anything else would not encode back
  if (has_error == 1) file.error = std::string(in.GetString());
  const uint32_t changes = in.GetCount(5);
  file.changes.reserve(changes);
  for (uint32_t i = 0; i < changes && in.ok(); ++i) {
    ParamChange& change = file.changes.emplace_back();
    change.key = in.GetString();
    const uint8_t which = in.Get<uint8_t>();
    if (which > 3) in.Fail();
    if (which & 1) change.old_value = GetValue(in);
    if (which & 2) change.new_value = GetValue(in);
  }
  return file;
}

void PutCommit(ByteWriter& out, const ParamCommit& commit) {
  const CommitMeta& m = commit.commit;
  out.PutString(m.id);
  out.PutString(m.tree);
  out.Put(static_cast<uint32_t>(m.parents.size()));
  for (const std::string& parent : m.parents) out.PutString(parent);
  out.PutString(m.author);
  out.PutString(m.email);
  out.Put(static_cast<int64_t>(m.time));
  out.Put(static_cast<int32_t>(m.offset_minutes));
  out.PutString(m.subject);
  out.Put(static_cast<uint32_t>(commit.files.size()));
  for (const FileParamChanges& file : commit.files) PutFile(out, file);
}

ParamCommit GetCommit(ByteCursor& in) {
  ParamCommit commit;
  CommitMeta& m = commit.commit;
  m.id = in.GetString();
  m.tree = in.GetString();
  const uint32_t parents = in.GetCount(4);
  for (uint32_t i = 0; i < parents && in.ok(); ++i) m.parents.emplace_back(in.GetString());
  m.author = in.GetString();
  m.email = in.GetString();
  m.time = in.Get<int64_t>();
  m.offset_minutes = in.Get<int32_t>();
  m.subject = in.GetString();
  const uint32_t files = in.GetCount(13);
  for (uint32_t i = 0; i < files && in.ok(); ++i) commit.files.push_back(GetFile(in));
  return commit;
}

}  // namespace

json ParamCacheSelection(const ParamQuery& query, bool first_parent) {
  return {{"version", kParamCacheVersion},
          {"config_globs", query.config_globs},
          {"files", query.files},
          {"first_parent", first_parent}};
}

std::string EncodeParamCache(const ParamCache& cache) {
  ByteWriter out;
  for (char c : kMagic) out.Put(c);
  out.Put(static_cast<uint32_t>(kParamCacheVersion));
  out.PutString(cache.selection.dump());
  out.PutString(cache.tip);
  out.Put(static_cast<uint32_t>(cache.commits.size()));
  for (const ParamCommit& commit : cache.commits) PutCommit(out, commit);
  return out.Take();
}

Result<ParamCache> DecodeParamCache(std::string_view bytes, std::string_view what) {
  if (!bytes.starts_with(kMagic)) return Corrupt("{}: not a git-model params cache", what);
  ByteCursor in(bytes.substr(kMagic.size()));
  if (in.Get<uint32_t>() != kParamCacheVersion)
    return Corrupt("{}: not a version {} params cache", what, kParamCacheVersion);
  const std::string_view selection_text = in.GetString();
  GM_ASSIGN_OR_RETURN(json selection, ParseJsonDocument(selection_text, what));
  if (selection.dump() != selection_text) return Corrupt("{}: params cache selection is not canonical", what);
  ParamCache cache{std::move(selection), std::string(in.GetString()), {}};
  const uint32_t commits = in.GetCount(40);
  cache.commits.reserve(commits);
  for (uint32_t i = 0; i < commits && in.ok(); ++i) cache.commits.push_back(GetCommit(in));
  if (!in.AtEnd()) return Corrupt("{}: truncated or malformed params cache", what);
  return cache;
}

}  // namespace gitmodel
