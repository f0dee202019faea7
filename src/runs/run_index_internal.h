// Shared by run_index.cc (writes) and run_index_read.cc (reads). Internal to src/runs.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "base/sqlite_db.h"
#include "runs/run_index.h"

struct sqlite3;
struct sqlite3_stmt;

namespace gitmodel::run_index_internal {

// The columns ReadRow reads, in its order.
inline constexpr const char* kRowColumns =
    "runs.id, runs.name, runs.status, runs.commit_id, runs.branch, runs.dirty, runs.start, runs.end, "
    "runs.wall_seconds, runs.exit_code, runs.signal";

// A run_metrics row selected as "key, last, min, max, count, last_step" (NaN was stored as NULL).
MetricSummary SummaryOfRow(sqlite3_stmt* s);
// sqlite3_step expecting SQLITE_DONE.
Status Step(sqlite3* db, sqlite3_stmt* s, std::string_view what);
RunRow ReadRow(sqlite3_stmt* s);
// The stored summaries of one run.
Result<std::map<std::string, MetricSummary>> ReadSummaries(sqlite3* db, std::string_view id);

}  // namespace gitmodel::run_index_internal
