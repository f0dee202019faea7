#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <utility>

#include "runs/run_index.h"
#include "runs/run_index_internal.h"

namespace gitmodel {
namespace {

using run_index_internal::kRowColumns;
using run_index_internal::ReadRow;
using run_index_internal::ReadSummaries;
using run_index_internal::SummaryOfRow;

constexpr size_t kMaxAmbiguousNamed = 5;

void Bind(sqlite3_stmt* s, int index, const std::variant<std::string, double, int64_t>& value) {
  if (auto* text = std::get_if<std::string>(&value)) BindText(s, index, *text);
  if (auto* number = std::get_if<double>(&value)) BindDouble(s, index, *number);
  if (auto* integer = std::get_if<int64_t>(&value)) BindInt(s, index, *integer);
}

// One read transaction around several statements: they all read one snapshot (a run and its
// summaries agree while other processes write), and SQLite takes the WAL read lock once instead
// of once per statement (summaries of 10,000 runs: 35 -> 15 ms). Ended when destroyed,
// so declare it before the statements it covers.
class ReadSnapshot {
 public:
  static Result<ReadSnapshot> Begin(sqlite3* db) {
    GM_RETURN_IF_ERROR(Exec(db, "BEGIN", "run index: starting a read"));
    return ReadSnapshot(db);
  }
  ReadSnapshot(ReadSnapshot&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}
  ReadSnapshot& operator=(ReadSnapshot&&) = delete;
  ~ReadSnapshot() {
    if (db_) (void)Exec(db_, "COMMIT", "run index: ending a read");  // nothing was written
  }

 private:
  explicit ReadSnapshot(sqlite3* db) : db_(db) {}
  sqlite3* db_;
};

}  // namespace

Result<std::vector<RunRow>> RunIndex::Rows(const RunListSql& query) const {
  GM_ASSIGN_OR_RETURN(Statement s, Prepare(db_.get(), query.sql));
  for (size_t i = 0; i < query.parameters.size(); ++i) Bind(s.get(), static_cast<int>(i + 1), query.parameters[i]);
  std::vector<RunRow> rows;
  int rc;
  while ((rc = sqlite3_step(s.get())) == SQLITE_ROW) rows.push_back(ReadRow(s.get()));
  if (rc != SQLITE_DONE) return SqlError(db_.get(), "run index: listing runs");
  return rows;
}

// One statement for all rows: preparing one per run (ReadSummaries) costs more than the reads
// (10,000 runs: 130 ms against 35). Named keys are looked up one by one (the primary key): runs
// with 100 metrics would otherwise read 100 rows each to keep a few (git model log: 1.2 s).
Status RunIndex::LoadSummaries(std::vector<RunRow>& rows, const std::vector<std::string>& metric_keys) const {
  const bool all = metric_keys.empty();
  GM_ASSIGN_OR_RETURN(Statement s, Prepare(db_.get(), all ? "SELECT key, last, min, max, count, last_step FROM "
                                                            "run_metrics WHERE run_id = ?"
                                                          : "SELECT key, last, min, max, count, last_step FROM "
                                                            "run_metrics WHERE run_id = ? AND key = ?"));
  for (RunRow& row : rows) {
    row.metrics.clear();
    for (size_t k = 0; k < (all ? 1 : metric_keys.size()); ++k) {
      sqlite3_reset(s.get());
      BindText(s.get(), 1, row.id);
      if (!all) BindText(s.get(), 2, metric_keys[k]);
      int rc;
      while ((rc = sqlite3_step(s.get())) == SQLITE_ROW) {
        row.metrics.emplace(ColumnText(s.get(), 0), SummaryOfRow(s.get()));
      }
      if (rc != SQLITE_DONE) return SqlError(db_.get(), "run index: reading metric summaries");
    }
  }
  return OkStatus();
}

Result<std::vector<RunRow>> RunIndex::List(const RunQuery& query, const std::vector<std::string>& metric_keys) const {
  GM_ASSIGN_OR_RETURN(std::vector<RunRow> rows, Rows(BuildRunListSql(query, kRowColumns)));
  GM_RETURN_IF_ERROR(LoadSummaries(rows, metric_keys));
  return rows;
}

Result<std::string> RunIndex::Resolve(std::string_view id_or_prefix) const {
  if (id_or_prefix.empty()) return InvalidArgument("an empty run id");
  RunQuery query;
  query.filters.push_back({RunKey{RunKeyKind::kField, "id"}, "=", std::string(id_or_prefix), std::nullopt});
  query.limit = kMaxAmbiguousNamed + 1;
  GM_ASSIGN_OR_RETURN(std::vector<RunRow> rows, Rows(BuildRunListSql(query, kRowColumns)));
  for (const RunRow& row : rows) {
    if (row.id == id_or_prefix) return row.id;
  }
  if (rows.empty()) return NotFound("no recorded run has an id starting with '{}' (git model runs lists them)", id_or_prefix);
  if (rows.size() == 1) return rows.front().id;
  std::string named;
  for (size_t i = 0; i < std::min(rows.size(), kMaxAmbiguousNamed); ++i) named += (i ? ", " : "") + rows[i].id;
  return InvalidArgument("run id '{}' is ambiguous: {}{}", id_or_prefix, named, rows.size() > kMaxAmbiguousNamed ? ", ..." : "");
}

Result<RunRecord> RunIndex::Get(std::string_view id) const {
  GM_ASSIGN_OR_RETURN(Statement s, Prepare(db_.get(), "SELECT record FROM runs WHERE id = ?"));
  BindText(s.get(), 1, id);
  if (sqlite3_step(s.get()) != SQLITE_ROW) return NotFound("run {} is not in the index", id);
  Result<RunRecord> record = ParseRunRecord(ColumnText(s.get(), 0));
  if (!record.ok()) return record.status().WithContext(fmt::format("run {}", id));
  GM_ASSIGN_OR_RETURN(auto summaries, ReadSummaries(db_.get(), id));
  if (!summaries.empty()) record->metrics = std::move(summaries);
  return record;
}

Result<std::vector<RunRow>> RunIndex::AtCommits(const std::vector<std::string>& commits,
                                                const std::vector<std::string>& metric_keys) const {
  GM_ASSIGN_OR_RETURN(ReadSnapshot snapshot, ReadSnapshot::Begin(db_.get()));
  std::vector<RunRow> rows;
  GM_ASSIGN_OR_RETURN(Statement s, Prepare(db_.get(),
      fmt::format("SELECT {} FROM runs WHERE commit_id = ? ORDER BY start, id", kRowColumns)));
  for (const std::string& commit : commits) {
    sqlite3_reset(s.get());
    BindText(s.get(), 1, commit);
    int rc;
    while ((rc = sqlite3_step(s.get())) == SQLITE_ROW) rows.push_back(ReadRow(s.get()));
    if (rc != SQLITE_DONE) return SqlError(db_.get(), "run index: runs at commits");
  }
  GM_RETURN_IF_ERROR(LoadSummaries(rows, metric_keys));
  return rows;
}

Result<std::vector<std::vector<RunCheckpoint>>> RunIndex::CheckpointsOf(const std::vector<std::string>& run_ids) const {
  GM_ASSIGN_OR_RETURN(ReadSnapshot snapshot, ReadSnapshot::Begin(db_.get()));
  GM_ASSIGN_OR_RETURN(Statement s, Prepare(db_.get(),
      "SELECT path, fingerprint, file_sha256 FROM run_checkpoints WHERE run_id = ? ORDER BY path"));
  std::vector<std::vector<RunCheckpoint>> out(run_ids.size());
  for (size_t i = 0; i < run_ids.size(); ++i) {
    sqlite3_reset(s.get());
    BindText(s.get(), 1, run_ids[i]);
    int rc;
    while ((rc = sqlite3_step(s.get())) == SQLITE_ROW) {
      out[i].push_back({ColumnText(s.get(), 0), ColumnText(s.get(), 1), ColumnText(s.get(), 2)});
    }
    if (rc != SQLITE_DONE) return SqlError(db_.get(), "run index: reading checkpoints");
  }
  return out;
}

Result<std::vector<MetricPoint>> RunIndex::Series(std::string_view run_id, std::string_view key) const {
  GM_ASSIGN_OR_RETURN(Statement s, Prepare(db_.get(),
      "SELECT line, step, time, value FROM metric_points WHERE run_id = ? AND key = ? ORDER BY line"));
  BindText(s.get(), 1, run_id);
  BindText(s.get(), 2, key);
  std::vector<MetricPoint> out;
  int rc;
  while ((rc = sqlite3_step(s.get())) == SQLITE_ROW) {
    MetricPoint point;
    point.key = std::string(key);
    point.line = static_cast<uint64_t>(sqlite3_column_int64(s.get(), 0));
    point.step = ColumnOptionalInt(s.get(), 1);
    point.time = ColumnOptionalDouble(s.get(), 2);
    point.value = ColumnOptionalDouble(s.get(), 3).value_or(std::nan(""));
    out.push_back(std::move(point));
  }
  if (rc != SQLITE_DONE) return SqlError(db_.get(), "run index: reading a metric series");
  return out;
}

Result<std::vector<std::string>> RunIndex::MetricKeys() const {
  GM_ASSIGN_OR_RETURN(Statement s, Prepare(db_.get(),
      "SELECT key FROM run_metrics GROUP BY key ORDER BY count(*) DESC, key"));
  std::vector<std::string> keys;
  int rc;
  while ((rc = sqlite3_step(s.get())) == SQLITE_ROW) keys.push_back(ColumnText(s.get(), 0));
  if (rc != SQLITE_DONE) return SqlError(db_.get(), "run index: listing metric names");
  return keys;
}

Result<std::string> RunIndex::RecordText(std::string_view id) const {
  GM_ASSIGN_OR_RETURN(Statement s, Prepare(db_.get(), "SELECT record FROM runs WHERE id = ?"));
  BindText(s.get(), 1, id);
  if (sqlite3_step(s.get()) != SQLITE_ROW) return NotFound("run {} is not in the index", id);
  return ColumnText(s.get(), 0);
}

Result<uint64_t> RunIndex::Count() const {
  GM_ASSIGN_OR_RETURN(Statement s, Prepare(db_.get(), "SELECT count(*) FROM runs"));
  if (sqlite3_step(s.get()) != SQLITE_ROW) return SqlError(db_.get(), "run index: counting runs");
  return static_cast<uint64_t>(sqlite3_column_int64(s.get(), 0));
}

}  // namespace gitmodel
