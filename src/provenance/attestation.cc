#include "provenance/attestation.h"

#include "base/file_sha256.h"
#include "gitmodel/checkpoint.h"
#include "provenance/fingerprint.h"
#include "provenance/record_lookup.h"

namespace gitmodel {
namespace {

using nlohmann::json;

// SLSA's convention for git sources: "git+<repository URL>@<ref>".
json SourceDependency(const GitSection& git) {
  json dep = {{"digest", {{"gitCommit", git.commit}}}};
  if (!git.remote.empty()) {
    std::string uri = "git+" + git.remote;
    if (!git.branch.empty() && !git.detached) uri += "@refs/heads/" + git.branch;
    dep["uri"] = uri;
  } else {
    dep["name"] = "source";
  }
  if (git.dirty) dep["annotations"] = {{"dirty", true}};
  return dep;
}

json ResolvedDependencies(const ProvenanceRecord& r) {
  json deps = json::array();
  if (r.git.in_repo && !r.git.commit.empty()) deps.push_back(SourceDependency(r.git));
  if (r.git.patch) {
    deps.push_back({{"name", "uncommitted.patch"}, {"digest", {{"sha256", r.git.patch->sha256}}},
                    {"annotations", {{"bytes", r.git.patch->bytes}}}});
  }
  for (const ConfigFileInfo& c : r.config) {
    deps.push_back({{"name", c.path}, {"digest", {{"sha256", c.sha256}, {"gitBlob", c.blob}}},
                    {"annotations", {{"format", c.format}}}});
  }
  for (const DataDigest& d : r.data) {
    deps.push_back({{"name", d.path}, {"digest", {{kDataTreeDigestName, d.tree_hash}}},
                    {"annotations", {{"files", d.files}, {"bytes", d.bytes}}}});
  }
  return deps;
}

json ExternalParameters(const ProvenanceRecord& r) {
  json params = {{"hyperparameters", json::object()}};
  for (const auto& [key, value] : r.hyperparams) params["hyperparameters"][key] = value;
  json configs = json::array(), data = json::array();
  for (const ConfigFileInfo& c : r.config) configs.push_back(c.path);
  for (const DataDigest& d : r.data) data.push_back(d.path);
  if (!configs.empty()) params["configs"] = configs;
  if (!data.empty()) params["data"] = data;
  if (r.run && !r.run->command.empty()) params["command"] = r.run->command;
  return params;
}

json RunMetadata(const ProvenanceRecord& r) {
  json meta = json::object();
  if (r.run && !r.run->id.empty()) meta["invocationId"] = r.run->id;
  if (r.run && !r.run->start.empty()) meta["startedOn"] = r.run->start;
  std::string finished = r.run && !r.run->end.empty() ? r.run->end : r.created;
  if (!finished.empty()) meta["finishedOn"] = finished;
  return meta;
}

}  // namespace

json BuildStatement(const ProvenanceRecord& r, const std::string& subject_name, const std::string& file_sha256) {
  json digest = {{"sha256", file_sha256}};
  if (!r.artifact.fingerprint.empty()) digest[kFingerprintDigestName] = r.artifact.fingerprint;
  json builder = {{"id", kGitModelBuilderId}};
  std::string_view version = r.tool;
  if (version.starts_with("git-model ")) version.remove_prefix(10);
  if (!version.empty()) builder["version"] = {{"git-model", version}};
  json internal = {{"env", EnvToJson(r.env)}};
  if (!r.metrics.empty()) internal["metrics"] = r.metrics;
  return {{"_type", kInTotoStatementType},
          {"subject", json::array({{{"name", subject_name}, {"digest", digest}}})},
          {"predicateType", kSlsaProvenanceType},
          {"predicate",
           {{"buildDefinition",
             {{"buildType", kGitModelBuildType},
              {"externalParameters", ExternalParameters(r)},
              {"internalParameters", internal},
              {"resolvedDependencies", ResolvedDependencies(r)}}},
            {"runDetails", {{"builder", builder}, {"metadata", RunMetadata(r)}}}}}};
}

Result<json> AttestCheckpoint(const std::string& path) {
  GM_ASSIGN_OR_RETURN(auto found, FindRecord(path));
  if (!found) return NotFound("{}: no provenance record (stamp it with 'git model stamp {}')", path, path);
  {
    GM_ASSIGN_OR_RETURN(auto checkpoint, Checkpoint::Open(path));
    GM_ASSIGN_OR_RETURN(Digest fingerprint, WeightsFingerprint(*checkpoint));
    if (ToHex(fingerprint) != found->record.artifact.fingerprint) {
      return Status(Code::kConflict,
                    fmt::format("{}: the weights changed since the record was made; 'git model verify {}' "
                                "names the tensors", path, path));
    }
  }
  GM_ASSIGN_OR_RETURN(Digest file_digest, FileSha256(path));
  return BuildStatement(found->record, path, ToHex(file_digest));
}

}  // namespace gitmodel
