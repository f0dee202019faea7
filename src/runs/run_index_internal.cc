#include <sqlite3.h>

#include <cmath>

#include "runs/run_index_internal.h"

namespace gitmodel::run_index_internal {
namespace {

constexpr const char* kSummaryColumns = "key, last, min, max, count, last_step";

}  // namespace

MetricSummary SummaryOfRow(sqlite3_stmt* s) {
  MetricSummary summary;
  summary.last = ColumnOptionalDouble(s, 1).value_or(std::nan(""));  // NaN was stored as NULL
  summary.min = ColumnOptionalDouble(s, 2);
  summary.max = ColumnOptionalDouble(s, 3);
  summary.count = static_cast<uint64_t>(sqlite3_column_int64(s, 4));
  summary.last_step = ColumnOptionalInt(s, 5);
  return summary;
}

Status Step(sqlite3* db, sqlite3_stmt* s, std::string_view what) {
  if (sqlite3_step(s) != SQLITE_DONE) return SqlError(db, what);
  return OkStatus();
}

RunRow ReadRow(sqlite3_stmt* s) {
  RunRow row;
  row.id = ColumnText(s, 0);
  row.name = ColumnText(s, 1);
  row.status = ColumnText(s, 2);
  row.commit = ColumnText(s, 3);
  row.branch = ColumnText(s, 4);
  row.dirty = sqlite3_column_int(s, 5) != 0;
  row.start = ColumnText(s, 6);
  row.end = ColumnText(s, 7);
  row.wall_seconds = ColumnOptionalDouble(s, 8);
  if (auto code = ColumnOptionalInt(s, 9)) row.exit_code = static_cast<int>(*code);
  if (auto signal = ColumnOptionalInt(s, 10)) row.signal = static_cast<int>(*signal);
  return row;
}

Result<std::map<std::string, MetricSummary>> ReadSummaries(sqlite3* db, std::string_view id) {
  GM_ASSIGN_OR_RETURN(Statement s,
                      Prepare(db, fmt::format("SELECT {} FROM run_metrics WHERE run_id = ?", kSummaryColumns)));
  BindText(s.get(), 1, id);
  std::map<std::string, MetricSummary> out;
  int rc;
  while ((rc = sqlite3_step(s.get())) == SQLITE_ROW) out[ColumnText(s.get(), 0)] = SummaryOfRow(s.get());
  if (rc != SQLITE_DONE) return SqlError(db, "run index: reading metric summaries");
  return out;
}

}  // namespace gitmodel::run_index_internal
