#include "provenance/index_db.h"

#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <thread>
#include <iterator>

#include <fmt/core.h>

namespace gitmodel {
namespace {

// Migration k (1-based) brings a database from version k - 1 to k. Never edit one that has
// shipped: add the next.
constexpr const char* kMigrations[] = {
    // 1: provenance records by weights fingerprint and file hash (record_index.h).
    R"sql(
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
)sql",
    // 2: recorded runs (src/runs/run_index.h).
    R"sql(
CREATE TABLE runs (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  status TEXT NOT NULL,
  commit_id TEXT NOT NULL,
  branch TEXT NOT NULL,
  dirty INTEGER NOT NULL,
  start TEXT NOT NULL,
  end TEXT,
  wall_seconds REAL,
  exit_code INTEGER,
  signal INTEGER,
  peak_rss_kb INTEGER,
  command TEXT NOT NULL,
  record TEXT NOT NULL
);
CREATE INDEX runs_by_start ON runs (start);
CREATE INDEX runs_by_commit ON runs (commit_id);
CREATE TABLE run_params (
  run_id TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, number REAL,
  PRIMARY KEY (run_id, key)) WITHOUT ROWID;
CREATE TABLE run_tags (
  run_id TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
  PRIMARY KEY (run_id, key)) WITHOUT ROWID;
CREATE TABLE metric_points (
  run_id TEXT NOT NULL, key TEXT NOT NULL, line INTEGER NOT NULL, step INTEGER, time REAL, value REAL,
  PRIMARY KEY (run_id, key, line)) WITHOUT ROWID;
CREATE TABLE run_metrics (
  run_id TEXT NOT NULL, key TEXT NOT NULL, last REAL, min REAL, max REAL, count INTEGER NOT NULL,
  last_step INTEGER, last_line INTEGER NOT NULL,
  PRIMARY KEY (run_id, key)) WITHOUT ROWID;
CREATE INDEX run_metrics_by_key ON run_metrics (key, last);
CREATE TABLE run_checkpoints (
  run_id TEXT NOT NULL, path TEXT NOT NULL, fingerprint TEXT NOT NULL, file_sha256 TEXT NOT NULL,
  PRIMARY KEY (run_id, path)) WITHOUT ROWID;
CREATE INDEX run_checkpoints_by_fingerprint ON run_checkpoints (fingerprint);
)sql",
};

constexpr int kSchemaVersion = static_cast<int>(std::size(kMigrations));

Result<int> UserVersion(sqlite3* db) {
  GM_ASSIGN_OR_RETURN(Statement s, Prepare(db, "PRAGMA user_version"));
  if (sqlite3_step(s.get()) != SQLITE_ROW) return SqlError(db, "reading the schema version");
  return sqlite3_column_int(s.get(), 0);
}

Status CheckNotNewer(int version, const std::string& path) {
  if (version <= kSchemaVersion) return OkStatus();
  return Unsupported("{}: index schema {} is newer than this git-model knows ({}); upgrade git-model", path, version,
                     kSchemaVersion);
}

// Applies the migrations the database lacks. The version is read again under the write lock, so
// that of two processes opening an old database at once, one migrates and the other sees it done.
Status Migrate(sqlite3* db, const std::string& path) {
  GM_ASSIGN_OR_RETURN(int seen, UserVersion(db));
  GM_RETURN_IF_ERROR(CheckNotNewer(seen, path));
  if (seen == kSchemaVersion) return OkStatus();
  GM_ASSIGN_OR_RETURN(WriteTransaction write, WriteTransaction::Begin(db));
  GM_ASSIGN_OR_RETURN(int version, UserVersion(db));
  GM_RETURN_IF_ERROR(CheckNotNewer(version, path));
  for (int next = version + 1; next <= kSchemaVersion; ++next) {
    GM_RETURN_IF_ERROR(Exec(db, kMigrations[next - 1], fmt::format("{}: migrating the index to schema {}", path, next)));
  }
  const std::string set_version = fmt::format("PRAGMA user_version = {}", kSchemaVersion);
  GM_RETURN_IF_ERROR(Exec(db, set_version.c_str(), "setting the schema version"));
  return write.Commit();
}

// Switching a new database to WAL needs its exclusive lock, and SQLite does not wait for that
// under the busy timeout: several processes opening a fresh index at once (four runs starting)
// get SQLITE_BUSY. They retry, with a growing pause, for about 5 s.
Status EnableWal(sqlite3* db, const std::string& path) {
  constexpr int kAttempts = 40;
  for (int attempt = 1;; ++attempt) {
    const int rc = sqlite3_exec(db, "PRAGMA journal_mode=WAL", nullptr, nullptr, nullptr);
    if (rc == SQLITE_OK) return OkStatus();
    if ((rc != SQLITE_BUSY && rc != SQLITE_LOCKED) || attempt == kAttempts) {
      return SqlError(db, fmt::format("{}: enabling WAL", path));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5 * attempt));
  }
}

}  // namespace

int IndexSchemaVersion() { return kSchemaVersion; }

Result<SqliteDb> OpenIndexDb(const std::string& path) {
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  if (ec) return IOError("{}: cannot create its directory: {}", path, ec.message());
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  SqliteDb db(raw);
  if (rc != SQLITE_OK) return IOError("{}: cannot open the index: {}", path, sqlite3_errstr(rc));
  sqlite3_busy_timeout(raw, 5000);
  GM_RETURN_IF_ERROR(EnableWal(raw, path));
  GM_RETURN_IF_ERROR(Migrate(raw, path));
  return db;
}

}  // namespace gitmodel
