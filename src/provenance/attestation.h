// `git model attest`: a checkpoint's provenance record as an in-toto Statement v1 with a SLSA
// Provenance v1 predicate (docs/provenance.md, "Attestations"), for tools that read those.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "gitmodel/status.h"
#include "provenance/record.h"

namespace gitmodel {

inline constexpr std::string_view kInTotoStatementType = "https://in-toto.io/Statement/v1";
inline constexpr std::string_view kSlsaProvenanceType = "https://slsa.dev/provenance/v1";
inline constexpr std::string_view kGitModelBuildType = "https://git-model.dev/train/v1";
inline constexpr std::string_view kGitModelBuilderId = "https://git-model.dev/stamp/v1";
// Custom in-toto DigestSet names (lowercase, as the spec asks of custom algorithms).
inline constexpr std::string_view kFingerprintDigestName = "gitmodel_fingerprint";
inline constexpr std::string_view kDataTreeDigestName = "gitmodel_tree";

// The statement for the file at `subject_name` with SHA-256 `file_sha256` (hex) described by
// `record`. Pure: no I/O.
nlohmann::json BuildStatement(const ProvenanceRecord& record, const std::string& subject_name,
                              const std::string& file_sha256);

// Finds the record of `path` (provenance/record_lookup.h), checks that the file's weights still
// match it, and builds the statement. NotFound without a record; kConflict when the weights
// changed since stamping (the record would not describe this file).
Result<nlohmann::json> AttestCheckpoint(const std::string& path);

}  // namespace gitmodel
