// The provenance record ("birth certificate") of a checkpoint: schema git-model/provenance/v1.
//
// The JSON form is the contract (docs/provenance.md lists every field); these structs are its
// in-memory shape. Parsing is strict about types and the schema name and lenient about unknown
// keys, so records written by newer v1 writers still read.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "gitmodel/status.h"
#include "hyperparams/flat_params.h"
#include "provenance/data_hash.h"
#include "provenance/env_capture.h"

namespace gitmodel {

inline constexpr std::string_view kProvenanceSchema = "git-model/provenance/v1";
inline constexpr uint64_t kMaxRecordBytes = 16u << 20;

struct ArtifactInfo {
  std::string path;         // as given to stamp, relative to the repo root when inside it
  std::string format;       // FormatName()
  uint64_t bytes = 0;       // size of the file before the record was embedded
  uint64_t tensors = 0;
  uint64_t parameters = 0;  // elements over all tensors
  std::string fingerprint;  // weights fingerprint (docs/formats.md)
  // Tensor name -> first 16 hex digits of its SHA-256 (as in the fingerprint): lets verify name
  // the tensors that changed. The fingerprint, not these, is the integrity check.
  std::map<std::string, std::string> tensor_digests;
};

inline constexpr size_t kTensorDigestHexDigits = 16;

// The uncommitted state as one patch. Small UTF-8 patches are kept inline; others live in the
// object store under their SHA-256 (`stored`), which is also the patch's id.
struct PatchInfo {
  std::string sha256;
  uint64_t bytes = 0;
  std::string text;  // inline patch, empty when stored
  bool stored = false;
};

struct GitSection {
  bool in_repo = false;
  std::string commit;
  std::string branch;
  bool detached = false;
  bool shallow = false;
  bool commit_overridden = false;  // --commit-id
  std::string describe;
  bool dirty = false;
  std::string remote;  // credentials already removed
  std::vector<std::string> changed;
  std::vector<std::string> untracked;
  std::optional<PatchInfo> patch;
};

struct ConfigFileInfo {
  std::string path;
  std::string format;  // yaml, json, toml, python
  std::string blob;    // git blob id of the content (matches `git hash-object`)
  std::string sha256;
};

struct RunSection {
  std::string id;
  std::string command;
  std::string start;
  std::string end;
  std::optional<int> exit_code;
};

struct ProvenanceRecord {
  std::string created;  // RFC 3339 UTC
  std::string tool;     // "git-model 0.1.0"
  ArtifactInfo artifact;
  GitSection git;
  FlatParams hyperparams;
  std::map<std::string, std::string> hyperparam_sources;  // key -> "config:<path>", "param", "checkpoint:<key>"
  std::vector<ConfigFileInfo> config;
  EnvInfo env;
  std::vector<DataDigest> data;
  std::map<std::string, double> metrics;
  std::optional<RunSection> run;
  nlohmann::json signature;  // null when unsigned
};

nlohmann::json RecordToJson(const ProvenanceRecord& record);
// Pretty-printed JSON text (2-space indent, keys in schema order) ending in a newline.
std::string SerializeRecord(const ProvenanceRecord& record);
// Parses a record; Corrupt (naming the field) when malformed, Unsupported for other schemas.
Result<ProvenanceRecord> ParseRecord(std::string_view json_text);
Result<ProvenanceRecord> RecordFromJson(const nlohmann::json& json);

}  // namespace gitmodel
