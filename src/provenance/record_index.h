// The record index: provenance records by weights fingerprint and by file SHA-256, so a renamed
// or copied checkpoint (or a legacy file that lost its sidecar) is still recognised.
//
// SQLite at `<git dir>/git-model/index.db` (index_db.h), or `$XDG_DATA_HOME/git-model/index.db`
// outside a repository. It is a cache of records that also live in the files themselves: deleting it loses
// only the ability to recognise files whose record was stripped. Not thread-safe; several
// processes may use one database (SQLite locking, 5 s busy timeout).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/sqlite_db.h"
#include "gitmodel/status.h"

namespace gitmodel {

struct IndexedRecord {
  std::string fingerprint;
  std::string file_sha256;  // of the file as written by stamp (with its record embedded)
  std::string path;         // where it was stamped (absolute)
  std::string created;
  std::string record_json;
};

class RecordIndex {
 public:
  // Opens or creates the database (and its directory).
  static Result<RecordIndex> Open(const std::string& db_path);

  // Adds a record; the same (file hash, created) pair is stored once.
  Status Add(const IndexedRecord& record);
  // Newest first.
  Result<std::vector<IndexedRecord>> FindByFingerprint(std::string_view fingerprint) const;
  Result<std::optional<IndexedRecord>> FindByFileHash(std::string_view file_sha256) const;
  // Every record, oldest first.
  Result<std::vector<IndexedRecord>> All() const;

  const std::string& path() const { return path_; }

 private:
  RecordIndex(std::string path, SqliteDb db) : path_(std::move(path)), db_(std::move(db)) {}
  Result<std::vector<IndexedRecord>> Query(const char* sql, std::string_view key) const;
  std::string path_;
  SqliteDb db_;
};

// `<git_model_dir>/index.db` when given, else the per-user index.
std::string RecordIndexPath(const std::string& git_model_dir);

}  // namespace gitmodel
