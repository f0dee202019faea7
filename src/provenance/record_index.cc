#include "provenance/record_index.h"

#include <sqlite3.h>

#include <cstdlib>
#include <filesystem>

namespace gitmodel {
namespace {

constexpr int kSchemaVersion = 1;

constexpr const char* kCreateSchema = R"sql(
CREATE TABLE IF NOT EXISTS records (
  id INTEGER PRIMARY KEY,
  fingerprint TEXT NOT NULL,
  file_sha256 TEXT NOT NULL,
  path TEXT NOT NULL,
  created TEXT NOT NULL,
  record TEXT NOT NULL,
  UNIQUE (file_sha256, created)
);
CREATE INDEX IF NOT EXISTS records_by_fingerprint ON records (fingerprint);
CREATE INDEX IF NOT EXISTS records_by_file ON records (file_sha256);
PRAGMA user_version = 1;
)sql";

struct StatementCloser {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using Statement = std::unique_ptr<sqlite3_stmt, StatementCloser>;

Status SqlError(sqlite3* db, std::string_view what) {
  return IOError("record index: {}: {}", what, sqlite3_errmsg(db));
}

Result<Statement> Prepare(sqlite3* db, const char* sql) {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &raw, nullptr) != SQLITE_OK) return SqlError(db, "prepare");
  return Statement(raw);
}

void BindText(sqlite3_stmt* s, int index, std::string_view text) {
  sqlite3_bind_text(s, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
}

std::string ColumnText(sqlite3_stmt* s, int column) {
  const unsigned char* text = sqlite3_column_text(s, column);
  return text ? std::string(reinterpret_cast<const char*>(text), sqlite3_column_bytes(s, column)) : "";
}

Result<int> SchemaVersion(sqlite3* db) {
  GM_ASSIGN_OR_RETURN(Statement s, Prepare(db, "PRAGMA user_version"));
  if (sqlite3_step(s.get()) != SQLITE_ROW) return SqlError(db, "reading the schema version");
  return sqlite3_column_int(s.get(), 0);
}

Status InitSchema(sqlite3* db, const std::string& path) {
  sqlite3_busy_timeout(db, 5000);
  if (sqlite3_exec(db, "PRAGMA journal_mode=WAL", nullptr, nullptr, nullptr) != SQLITE_OK) {
    return SqlError(db, "enabling WAL");
  }
  GM_ASSIGN_OR_RETURN(int version, SchemaVersion(db));
  if (version > kSchemaVersion) {
    return Unsupported("{}: index schema {} is newer than this git-model knows ({})", path, version,
                       kSchemaVersion);
  }
  if (sqlite3_exec(db, kCreateSchema, nullptr, nullptr, nullptr) != SQLITE_OK) {
    return SqlError(db, "creating tables");
  }
  return OkStatus();
}

}  // namespace

void RecordIndex::Closer::operator()(sqlite3* db) const { sqlite3_close_v2(db); }

std::string RecordIndexPath(const std::string& git_model_dir) {
  if (!git_model_dir.empty()) return git_model_dir + "/index.db";
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg) return std::string(xdg) + "/git-model/index.db";
  const char* home = std::getenv("HOME");
  return std::string(home && *home ? home : ".") + "/.local/share/git-model/index.db";
}

Result<RecordIndex> RecordIndex::Open(const std::string& db_path) {
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(db_path).parent_path(), ec);
  if (ec) return IOError("{}: cannot create its directory: {}", db_path, ec.message());
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(db_path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  RecordIndex index(db_path, raw);
  if (rc != SQLITE_OK) return IOError("{}: cannot open the record index: {}", db_path, sqlite3_errstr(rc));
  Status st = InitSchema(raw, db_path);
  if (!st.ok()) return st.WithContext(db_path);
  return index;
}

Status RecordIndex::Add(const IndexedRecord& r) {
  GM_ASSIGN_OR_RETURN(Statement s, Prepare(db_.get(),
      "INSERT OR REPLACE INTO records (fingerprint, file_sha256, path, created, record) VALUES (?, ?, ?, ?, ?)"));
  BindText(s.get(), 1, r.fingerprint);
  BindText(s.get(), 2, r.file_sha256);
  BindText(s.get(), 3, r.path);
  BindText(s.get(), 4, r.created);
  BindText(s.get(), 5, r.record_json);
  if (sqlite3_step(s.get()) != SQLITE_DONE) return SqlError(db_.get(), "adding a record");
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
  if (rc != SQLITE_DONE) return SqlError(db_.get(), "querying");
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
