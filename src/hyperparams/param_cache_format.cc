// JSON keeps the values' types (integer, float, string...) but has no NaN or infinity: those
// floats are written as {"float": "nan" | "inf" | "-inf"}. Flat values are never objects
// (flat_params.h), so the encoding is unambiguous.
#include "hyperparams/param_cache_format.h"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <utility>

#include "base/json_document.h"

namespace gitmodel {
namespace {

using nlohmann::json;

constexpr std::string_view kFormatName = "git-model params cache";

json EncodeValue(const json& value) {
  if (value.is_array()) {
    json out = json::array();
    for (const json& element : value) out.push_back(EncodeValue(element));
    return out;
  }
  if (!value.is_number_float() || std::isfinite(value.get<double>())) return value;
  const double x = value.get<double>();
  return {{"float", std::isnan(x) ? "nan" : x > 0 ? "inf" : "-inf"}};
}

// Throws (json::exception or std::invalid_argument) on a shape EncodeValue does not write.
json DecodeValue(const json& value) {
  if (value.is_array()) {
    json out = json::array();
    for (const json& element : value) out.push_back(DecodeValue(element));
    return out;
  }
  if (!value.is_object()) return value;
  const std::string name = value.at("float").get<std::string>();
  constexpr double kInf = std::numeric_limits<double>::infinity();
  if (name == "nan") return json(std::numeric_limits<double>::quiet_NaN());
  if (name == "inf" || name == "-inf") return json(name == "inf" ? kInf : -kInf);
  throw std::invalid_argument("unknown float '" + name + "'");
}

json EncodeFile(const FileParamChanges& file) {
  json out = {{"path", file.path}, {"old_path", file.old_path}, {"changes", json::array()}};
  if (file.error) out["error"] = *file.error;
  for (const ParamChange& change : file.changes) {
    json c = {{"key", change.key}};
    if (change.old_value) c["old"] = EncodeValue(*change.old_value);
    if (change.new_value) c["new"] = EncodeValue(*change.new_value);
    out["changes"].push_back(std::move(c));
  }
  return out;
}

FileParamChanges DecodeFile(const json& in) {
  FileParamChanges file{in.at("path").get<std::string>(), in.at("old_path").get<std::string>(), {}, {}};
  if (in.contains("error")) file.error = in.at("error").get<std::string>();
  for (const json& c : in.at("changes")) {
    ParamChange change{c.at("key").get<std::string>(), {}, {}};
    if (c.contains("old")) change.old_value = DecodeValue(c.at("old"));
    if (c.contains("new")) change.new_value = DecodeValue(c.at("new"));
    file.changes.push_back(std::move(change));
  }
  return file;
}

json EncodeCommit(const ParamCommit& commit) {
  const CommitMeta& m = commit.commit;
  json out = {{"id", m.id},           {"tree", m.tree},   {"parents", m.parents},
              {"author", m.author},   {"email", m.email}, {"time", m.time},
              {"offset", m.offset_minutes}, {"subject", m.subject}, {"files", json::array()}};
  for (const FileParamChanges& file : commit.files) out["files"].push_back(EncodeFile(file));
  return out;
}

ParamCommit DecodeCommit(const json& in) {
  ParamCommit commit;
  CommitMeta& m = commit.commit;
  m.id = in.at("id").get<std::string>();
  m.tree = in.at("tree").get<std::string>();
  m.parents = in.at("parents").get<std::vector<std::string>>();
  m.author = in.at("author").get<std::string>();
  m.email = in.at("email").get<std::string>();
  m.time = in.at("time").get<int64_t>();
  m.offset_minutes = in.at("offset").get<int>();
  m.subject = in.at("subject").get<std::string>();
  for (const json& file : in.at("files")) commit.files.push_back(DecodeFile(file));
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
  json out = {{"format", kFormatName}, {"version", kParamCacheVersion}, {"selection", cache.selection},
              {"tip", cache.tip}, {"commits", json::array()}};
  for (const ParamCommit& commit : cache.commits) out["commits"].push_back(EncodeCommit(commit));
  return out.dump();
}

Result<ParamCache> DecodeParamCache(std::string_view text, std::string_view what) {
  GM_ASSIGN_OR_RETURN(json doc, ParseJsonDocument(text, what));
  try {
    if (doc.at("format").get<std::string>() != kFormatName || doc.at("version").get<int>() != kParamCacheVersion)
      return Corrupt("{}: not a version {} params cache", what, kParamCacheVersion);
    ParamCache cache{doc.at("selection"), doc.at("tip").get<std::string>(), {}};
    for (const json& commit : doc.at("commits")) cache.commits.push_back(DecodeCommit(commit));
    return cache;
  } catch (const std::exception& e) {  // json::exception or DecodeValue's invalid_argument
    return Corrupt("{}: unexpected params cache contents: {}", what, e.what());
  }
}

}  // namespace gitmodel
