#include "provenance/record_index.h"

#include <sqlite3.h>

#include <cstdlib>

#include "provenance/index_db.h"

namespace gitmodel {

std::string RecordIndexPath(const std::string& git_model_dir) {
  if (!git_model_dir.empty()) return git_model_dir + "/index.db";
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg) return std::string(xdg) + "/git-model/index.db";
  const char* home = std::getenv("HOME");
  return std::string(home && *home ? home : ".") + "/.local/share/git-model/index.db";
}

Result<RecordIndex> RecordIndex::Open(const std::string& db_path) {
  GM_ASSIGN_OR_RETURN(SqliteDb db, OpenIndexDb(db_path));
  return RecordIndex(db_path, std::move(db));
}

Status RecordIndex::Add(const IndexedRecord& r) {
  GM_ASSIGN_OR_RETURN(Statement s, Prepare(db_.get(),
      "INSERT OR REPLACE INTO records (fingerprint, file_sha256, path, created, record) VALUES (?, ?, ?, ?, ?)"));
  BindText(s.get(), 1, r.fingerprint);
  BindText(s.get(), 2, r.file_sha256);
  BindText(s.get(), 3, r.path);
  BindText(s.get(), 4, r.created);
  BindText(s.get(), 5, r.record_json);
  if (sqlite3_step(s.get()) != SQLITE_DONE) return SqlError(db_.get(), "record index: adding a record");
  return OkStatus();
}

Result<std::vector<IndexedRecord>> RecordIndex::All() const {
  // Query binds one parameter: an always-true condition takes it.
  return Query("SELECT fingerprint, file_sha256, path, created, record FROM records WHERE ? = '' ORDER BY id", "");
}

Result<std::vector<IndexedRecord>> RecordIndex::Query(const char* sql, std::string_view key) const {
  GM_ASSIGN_OR_RETURN(Statement s, Prepare(db_.get(), sql));
  BindText(s.get(), 1, key);
  std::vector<IndexedRecord> out;
  int rc;
  while ((rc = sqlite3_step(s.get())) == SQLITE_ROW) {
    out.push_back({ColumnText(s.get(), 0), ColumnText(s.get(), 1), ColumnText(s.get(), 2),
                   ColumnText(s.get(), 3), ColumnText(s.get(), 4)});
  }
  if (rc != SQLITE_DONE) return SqlError(db_.get(), "record index: querying");
  return out;
}

Result<std::vector<IndexedRecord>> RecordIndex::FindByFingerprint(std::string_view fingerprint) const {
  return Query("SELECT fingerprint, file_sha256, path, created, record FROM records "
               "WHERE fingerprint = ? ORDER BY created DESC, id DESC", fingerprint);
}

Result<std::optional<IndexedRecord>> RecordIndex::FindByFileHash(std::string_view file_sha256) const {
  GM_ASSIGN_OR_RETURN(auto rows, Query("SELECT fingerprint, file_sha256, path, created, record FROM records "
                                       "WHERE file_sha256 = ? ORDER BY created DESC, id DESC LIMIT 1", file_sha256));
  if (rows.empty()) return std::optional<IndexedRecord>();
  return std::optional<IndexedRecord>(std::move(rows.front()));
}

}  // namespace gitmodel
