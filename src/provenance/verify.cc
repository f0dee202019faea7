#include "provenance/verify.h"

#include "gitmodel/checkpoint.h"
#include "provenance/fingerprint.h"
#include "provenance/record_lookup.h"
#include "provenance/trusted_keys.h"

namespace gitmodel {
namespace {

std::vector<TensorChange> CompareTensors(const Checkpoint& checkpoint, const WeightsDigest& now,
                                         const std::map<std::string, std::string>& recorded) {
  std::vector<TensorChange> out;
  std::map<std::string, std::string> current;
  for (size_t i = 0; i < checkpoint.tensors().size(); ++i) {
    current[checkpoint.tensors()[i].name] = ToHex(now.tensors[i]).substr(0, kTensorDigestHexDigits);
  }
  for (const auto& [name, digest] : current) {
    auto it = recorded.find(name);
    if (it == recorded.end()) out.push_back({name, "added"});
    else if (it->second != digest) out.push_back({name, "changed"});
  }
  for (const auto& [name, digest] : recorded) {
    if (!current.count(name)) out.push_back({name, "removed"});
  }
  return out;
}

Status CheckWeights(const std::string& path, const ProvenanceRecord& record, VerifyReport* report) {
  GM_ASSIGN_OR_RETURN(auto checkpoint, Checkpoint::Open(path));
  GM_ASSIGN_OR_RETURN(WeightsDigest now, DigestWeights(*checkpoint));
  report->recorded_fingerprint = record.artifact.fingerprint;
  report->fingerprint_now = ToHex(now.fingerprint);
  report->weights_match = report->fingerprint_now == report->recorded_fingerprint;
  if (!report->weights_match) report->tensors = CompareTensors(*checkpoint, now, record.artifact.tensor_digests);
  return OkStatus();
}

Status CheckSignature(const std::string& path, const FoundRecord& found, const VerifyOptions& options,
                      VerifyReport* report) {
  report->signature_required = options.require_signature;
  if (found.record.signature.is_null()) return OkStatus();
  GM_ASSIGN_OR_RETURN(TrustedKeys trusted, LoadTrustedKeys(path, options.trusted_keys_path));
  report->trusted_keys_path = trusted.path;
  report->signature = CheckRecordSignature(found.json, trusted.keys ? &*trusted.keys : nullptr);
  return OkStatus();
}

}  // namespace

Result<VerifyReport> VerifyCheckpoint(const std::string& path, const VerifyOptions& options) {
  GM_ASSIGN_OR_RETURN(auto found, FindRecord(path));
  if (!found) return NotFound("{}: no provenance record (stamp it with 'git model stamp {}')", path, path);
  VerifyReport report;
  report.path = path;
  report.origin = found->origin;
  GM_RETURN_IF_ERROR(CheckWeights(path, found->record, &report));
  GM_RETURN_IF_ERROR(CheckSignature(path, *found, options, &report));
  GM_ASSIGN_OR_RETURN(report.code, CheckCodeDrift(found->record.git));
  EnvInfo now = CaptureEnv({.probe_python = options.probe_python});
  report.env = RuntimeEnvDrift(found->record.env, now);
  report.data = CheckDataDrift(found->record.data, DefaultDataCachePath());
  return report;
}

}  // namespace gitmodel
