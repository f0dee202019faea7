// RunIndex::MetricValues: one metric's last value across every run (bisect's evidence).
#include <sqlite3.h>

#include <limits>

#include "runs/run_index.h"

namespace gitmodel {

Result<std::vector<RunMetricValue>> RunIndex::MetricValues(std::string_view key) const {
  // count is NOT NULL in run_metrics, so a NULL count is a run without the metric, while a NULL
  // last is a NaN that SQLite stored as NULL.
  GM_ASSIGN_OR_RETURN(Statement s, Prepare(db_.get(),
      "SELECT runs.id, runs.commit_id, runs.status, runs.dirty, m.last, m.count FROM runs "
      "LEFT JOIN run_metrics AS m ON m.run_id = runs.id AND m.key = ?"));
  BindText(s.get(), 1, key);
  std::vector<RunMetricValue> out;
  int rc;
  while ((rc = sqlite3_step(s.get())) == SQLITE_ROW) {
    RunMetricValue v{ColumnText(s.get(), 0), ColumnText(s.get(), 1), ColumnText(s.get(), 2),
                     sqlite3_column_int(s.get(), 3) != 0, std::nullopt};
    if (sqlite3_column_type(s.get(), 5) != SQLITE_NULL) {
      v.last = ColumnOptionalDouble(s.get(), 4).value_or(std::numeric_limits<double>::quiet_NaN());
    }
    out.push_back(std::move(v));
  }
  if (rc != SQLITE_DONE) return SqlError(db_.get(), "run index: reading metric values");
  return out;
}

}  // namespace gitmodel
