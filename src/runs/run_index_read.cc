#include <sqlite3.h>

#include <algorithm>
#include <cmath>

#include "runs/run_index.h"
#include "runs/run_index_internal.h"

namespace gitmodel {
namespace {

using run_index_internal::kRowColumns;
using run_index_internal::ReadRow;
using run_index_internal::ReadSummaries;

constexpr size_t kMaxAmbiguousNamed = 5;

void Bind(sqlite3_stmt* s, int index, const std::variant<std::string, double, int64_t>& value) {
  if (auto* text = std::get_if<std::string>(&value)) BindText(s, index, *text);
  if (auto* number = std::get_if<double>(&value)) BindDouble(s, index, *number);
  if (auto* integer = std::get_if<int64_t>(&value)) BindInt(s, index, *integer);
}

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

Status RunIndex::LoadSummaries(std::vector<RunRow>& rows, const std::vector<std::string>& metric_keys) const {
  for (RunRow& row : rows) {
    GM_ASSIGN_OR_RETURN(row.metrics, ReadSummaries(db_.get(), row.id));
    if (metric_keys.empty()) continue;
    std::erase_if(row.metrics, [&](const auto& entry) {
      return std::find(metric_keys.begin(), metric_keys.end(), entry.first) == metric_keys.end();
    });
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

Result<std::vector<RunRow>> RunIndex::AtCommits(const std::vector<std::string>& commits) const {
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
  GM_RETURN_IF_ERROR(LoadSummaries(rows, {}));
  return rows;
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

Result<uint64_t> RunIndex::Count() const {
  GM_ASSIGN_OR_RETURN(Statement s, Prepare(db_.get(), "SELECT count(*) FROM runs"));
  if (sqlite3_step(s.get()) != SQLITE_ROW) return SqlError(db_.get(), "run index: counting runs");
  return static_cast<uint64_t>(sqlite3_column_int64(s.get(), 0));
}

}  // namespace gitmodel
