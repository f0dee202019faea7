// DataToJson / DataFromJson (declared in data_hash.h).
#include "provenance/data_hash.h"
#include "provenance/json_fields.h"

namespace gitmodel {
namespace {

bool IsLowerHex64(const std::string& s) {
  return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

}  // namespace

nlohmann::json DataToJson(const DataDigest& digest) {
  return {{"path", digest.path},
          {"tree_hash", digest.tree_hash},
          {"files", digest.files},
          {"bytes", digest.bytes},
          {"format", kDataTreeFormat}};
}

Result<DataDigest> DataFromJson(const nlohmann::json& json) {
  JsonFields f(json, "data");
  GM_RETURN_IF_ERROR(f.RequireObject());
  DataDigest d;
  std::string format = kDataTreeFormat;
  GM_RETURN_IF_ERROR(f.String("format", &format));
  if (format != kDataTreeFormat)
    return Unsupported("data tree hash format '{}' is not known to this git-model (it knows {})", format,
                       kDataTreeFormat);
  GM_RETURN_IF_ERROR(f.String("path", &d.path));
  GM_RETURN_IF_ERROR(f.String("tree_hash", &d.tree_hash));
  GM_RETURN_IF_ERROR(f.UInt("files", &d.files));
  GM_RETURN_IF_ERROR(f.UInt("bytes", &d.bytes));
  if (!f.Has("path")) return Corrupt("record field {}: missing", f.Path("path"));
  if (!IsLowerHex64(d.tree_hash))
    return Corrupt("record field {}: expected 64 lowercase hex digits", f.Path("tree_hash"));
  return d;
}

}  // namespace gitmodel
