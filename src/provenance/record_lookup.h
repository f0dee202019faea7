// Finding the provenance record of a file: embedded in it, in its sidecar, or (for a renamed copy
// or a file whose record was stripped) in a record index by file hash or weights fingerprint.
#pragma once

#include <optional>
#include <string>

#include "gitmodel/status.h"
#include "provenance/record.h"

namespace gitmodel {

struct FoundRecord {
  ProvenanceRecord record;
  std::string json;    // the record's text as stored
  std::string origin;  // "embedded in archive/git-model/provenance.json", "index <db> by fingerprint"...
  bool from_index = false;
};

// `path` may also be a record file itself (a sidecar or `stamp --json` output). Returns nullopt
// when no record is found anywhere; errors for unreadable files and corrupt records.
// Index lookups open the indexes of the repository holding `path`, of the current directory's
// repository and the per-user index; the weights are hashed only when a lookup needs it.
Result<std::optional<FoundRecord>> FindRecord(const std::string& path);

// True when `path` holds a provenance record document rather than a checkpoint.
bool LooksLikeRecordFile(const std::string& path);

}  // namespace gitmodel
