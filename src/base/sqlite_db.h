// Small RAII helpers over SQLite's C API, shared by the index's modules.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "gitmodel/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace gitmodel {

struct SqliteCloser {
  void operator()(sqlite3* db) const;
};
using SqliteDb = std::unique_ptr<sqlite3, SqliteCloser>;

struct StatementCloser {
  void operator()(sqlite3_stmt* s) const;
};
using Statement = std::unique_ptr<sqlite3_stmt, StatementCloser>;

// kIOError "<what>: <sqlite's message>".
Status SqlError(sqlite3* db, std::string_view what);

Result<Statement> Prepare(sqlite3* db, std::string_view sql);
// Runs statements that return no rows.
Status Exec(sqlite3* db, const char* sql, std::string_view what);

void BindText(sqlite3_stmt* s, int index, std::string_view text);
void BindInt(sqlite3_stmt* s, int index, int64_t value);
void BindDouble(sqlite3_stmt* s, int index, double value);  // NaN binds as NULL (SQLite's rule)
void BindNull(sqlite3_stmt* s, int index);
void BindOptionalInt(sqlite3_stmt* s, int index, std::optional<int64_t> value);
void BindOptionalDouble(sqlite3_stmt* s, int index, std::optional<double> value);

std::string ColumnText(sqlite3_stmt* s, int column);
std::optional<int64_t> ColumnOptionalInt(sqlite3_stmt* s, int column);
std::optional<double> ColumnOptionalDouble(sqlite3_stmt* s, int column);

// A write transaction: BEGIN IMMEDIATE (so a writer waits for the lock up front, under the busy
// timeout, instead of failing on its first write), rolled back unless committed.
class WriteTransaction {
 public:
  static Result<WriteTransaction> Begin(sqlite3* db);
  WriteTransaction(WriteTransaction&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}
  WriteTransaction& operator=(WriteTransaction&&) = delete;
  ~WriteTransaction();
  Status Commit();

 private:
  explicit WriteTransaction(sqlite3* db) : db_(db) {}
  sqlite3* db_;
};

}  // namespace gitmodel
