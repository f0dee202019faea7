#include "inspect/inspect.h"

#include <algorithm>
#include <cmath>

#include "base/parallel.h"
#include "base/sha256.h"
#include "provenance/fingerprint.h"
#include "inspect/tree_json.h"
#include "tensors/tensor_bytes.h"

namespace gitmodel {
namespace {

using nlohmann::json;

json StatsJson(const TensorStats& s) {
  return {{"count", s.count}, {"nan", s.nan}, {"inf", s.inf}, {"min", FloatJson(s.min)},
          {"max", FloatJson(s.max)}, {"mean", FloatJson(s.mean)}, {"std", FloatJson(s.std)}};
}

json TensorJson(const TensorRef& t, const TensorExtras* extra) {
  json j = {{"name", t.name},        {"dtype", Name(t.dtype)},           {"shape", t.shape},
            {"strides", t.strides},  {"storage_offset", t.storage_offset}, {"nbytes", t.nbytes()},
            {"storage", t.storage_key}, {"device", t.device}};
  if (t.is_parameter) j["parameter"] = true;
  if (t.requires_grad) j["requires_grad"] = true;
  if (!t.has_storage) j["meta"] = true;
  if (t.quant) {
    j["quantization"] = {{"scheme", t.quant->scheme}};
    if (t.quant->axis < 0) {
      j["quantization"]["scale"] = t.quant->scale;
      j["quantization"]["zero_point"] = t.quant->zero_point;
    } else {
      j["quantization"]["axis"] = t.quant->axis;
    }
  }
  if (t.has_storage && !t.deflated)
    j["file_offset"] = t.storage_file_offset + ByteSize(t.dtype, static_cast<uint64_t>(t.storage_offset)).value_or(0);
  if (!extra) return j;
  if (extra->sha256) j["sha256"] = *extra->sha256;
  if (extra->stats) j["stats"] = StatsJson(*extra->stats);
  if (!extra->error.empty()) j["error"] = extra->error;
  return j;
}

json SummaryJson(const Summary& s) {
  json dtypes = json::object();
  for (const auto& [name, d] : s.by_dtype) dtypes[name] = {{"tensors", d.tensors}, {"bytes", d.bytes}};
  json groups = json::array();
  for (const TensorGroup& g : s.groups)
    groups.push_back({{"name", g.name}, {"tensors", g.tensors}, {"parameters", g.parameters}, {"bytes", g.bytes}});
  return {{"tensors", s.tensors}, {"parameters", s.parameters}, {"bytes", s.bytes},
          {"shared", s.shared},   {"dtypes", dtypes},          {"groups", groups}};
}

}  // namespace

InspectReport Inspect(const Checkpoint& checkpoint, const InspectOptions& options) {
  InspectReport report;
  report.summary = Summarize(checkpoint);
  if (!options.hashes && !options.stats) return report;
  const auto& tensors = checkpoint.tensors();
  report.extras.resize(tensors.size());
  if (options.hashes) {
    std::vector<Digest> digests(tensors.size());
    ParallelFor(tensors.size(), [&](size_t i) {
      auto digest = TensorSha256(tensors[i]);
      if (digest.ok()) {
        digests[i] = *digest;
        report.extras[i].sha256 = ToHex(*digest);
      } else {
        report.extras[i].error = digest.status().message();
      }
    });
    bool all_hashed = std::all_of(report.extras.begin(), report.extras.end(), [](auto& e) { return e.sha256.has_value(); });
    if (auto fp = FingerprintFromDigests(tensors, digests); all_hashed && fp.ok()) report.fingerprint = ToHex(*fp);
  }
  if (options.stats) {
    auto stats = ComputeStatsAll(tensors);
    for (size_t i = 0; i < tensors.size(); ++i) {
      if (stats[i].ok()) report.extras[i].stats = *stats[i];
      else if (report.extras[i].error.empty()) report.extras[i].error = stats[i].status().message();
    }
  }
  return report;
}

json InspectJson(const Checkpoint& checkpoint, const InspectReport& report) {
  json details = json::object();
  for (const FormatDetail& d : checkpoint.details()) details[d.key] = d.value;
  json tensors = json::array();
  const auto& refs = checkpoint.tensors();
  for (size_t i = 0; i < refs.size(); ++i)
    tensors.push_back(TensorJson(refs[i], report.extras.empty() ? nullptr : &report.extras[i]));
  json doc = {{"file", checkpoint.path()},
              {"format", FormatName(checkpoint.format())},
              {"details", details},
              {"summary", SummaryJson(report.summary)},
              {"tensors", tensors},
              {"tree", TreeToJson(checkpoint.root(), refs)},
              {"notes", checkpoint.notes()}};
  if (report.fingerprint) doc["fingerprint"] = *report.fingerprint;
  return doc;
}

}  // namespace gitmodel
