#include "base/sqlite_db.h"

#include <sqlite3.h>

#include <chrono>
#include <cmath>
#include <thread>
#include <utility>

namespace gitmodel {
namespace {

// BEGIN IMMEDIATE waits up to the busy timeout; a database held longer than that (a slow reindex
// in another process) gets this many more tries before the error reaches the user.
constexpr int kBeginAttempts = 6;

}  // namespace

void SqliteCloser::operator()(sqlite3* db) const { sqlite3_close_v2(db); }
void StatementCloser::operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }

Status SqlError(sqlite3* db, std::string_view what) { return IOError("{}: {}", what, sqlite3_errmsg(db)); }

Result<Statement> Prepare(sqlite3* db, std::string_view sql) {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &raw, nullptr) != SQLITE_OK) {
    return SqlError(db, "preparing a query");
  }
  return Statement(raw);
}

Status Exec(sqlite3* db, const char* sql, std::string_view what) {
  if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) return SqlError(db, what);
  return OkStatus();
}

void BindText(sqlite3_stmt* s, int index, std::string_view text) {
  sqlite3_bind_text(s, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
}
void BindInt(sqlite3_stmt* s, int index, int64_t value) { sqlite3_bind_int64(s, index, value); }
void BindDouble(sqlite3_stmt* s, int index, double value) { sqlite3_bind_double(s, index, value); }
void BindNull(sqlite3_stmt* s, int index) { sqlite3_bind_null(s, index); }

void BindOptionalInt(sqlite3_stmt* s, int index, std::optional<int64_t> value) {
  if (value) {
    BindInt(s, index, *value);
  } else {
    BindNull(s, index);
  }
}

void BindOptionalDouble(sqlite3_stmt* s, int index, std::optional<double> value) {
  if (value) {
    BindDouble(s, index, *value);
  } else {
    BindNull(s, index);
  }
}

std::string ColumnText(sqlite3_stmt* s, int column) {
  const unsigned char* text = sqlite3_column_text(s, column);
  return text ? std::string(reinterpret_cast<const char*>(text), sqlite3_column_bytes(s, column)) : "";
}

std::optional<int64_t> ColumnOptionalInt(sqlite3_stmt* s, int column) {
  if (sqlite3_column_type(s, column) == SQLITE_NULL) return std::nullopt;
  return sqlite3_column_int64(s, column);
}

std::optional<double> ColumnOptionalDouble(sqlite3_stmt* s, int column) {
  if (sqlite3_column_type(s, column) == SQLITE_NULL) return std::nullopt;
  return sqlite3_column_double(s, column);
}

Result<WriteTransaction> WriteTransaction::Begin(sqlite3* db) {
  for (int attempt = 1;; ++attempt) {
    const int rc = sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    if (rc == SQLITE_OK) return WriteTransaction(db);
    if ((rc != SQLITE_BUSY && rc != SQLITE_LOCKED) || attempt == kBeginAttempts) {
      return SqlError(db, "starting a write");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50 * attempt));
  }
}

WriteTransaction::~WriteTransaction() {
  if (db_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

Status WriteTransaction::Commit() {
  sqlite3* db = std::exchange(db_, nullptr);
  if (sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
    Status error = SqlError(db, "committing a write");
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    return error;
  }
  return OkStatus();
}

}  // namespace gitmodel
