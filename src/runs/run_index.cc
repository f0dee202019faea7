#include "runs/run_index.h"

#include <sqlite3.h>

#include "provenance/index_db.h"
#include "runs/metric_summary.h"
#include "runs/run_index_internal.h"

namespace gitmodel {
namespace {

using run_index_internal::ReadSummaries;
using run_index_internal::Step;

Status InsertRunRow(sqlite3* db, const RunRecord& r, std::string_view record_text) {
  GM_ASSIGN_OR_RETURN(Statement s, Prepare(db,
      "INSERT OR REPLACE INTO runs (id, name, status, commit_id, branch, dirty, start, end, wall_seconds, exit_code, "
      "signal, peak_rss_kb, command, record) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  BindText(s.get(), 1, r.id);
  BindText(s.get(), 2, r.name);
  BindText(s.get(), 3, r.status);
  BindText(s.get(), 4, r.capture.git.commit);
  BindText(s.get(), 5, r.capture.git.branch);
  BindInt(s.get(), 6, r.capture.git.dirty ? 1 : 0);
  BindText(s.get(), 7, r.start);
  if (r.end.empty()) {
    BindNull(s.get(), 8);
  } else {
    BindText(s.get(), 8, r.end);
  }
  BindOptionalDouble(s.get(), 9, r.wall_seconds);
  BindOptionalInt(s.get(), 10, r.exit_code);
  BindOptionalInt(s.get(), 11, r.signal);
  BindOptionalInt(s.get(), 12, r.peak_rss_kb);
  BindText(s.get(), 13, CommandLine(r.command));
  BindText(s.get(), 14, record_text.empty() ? SerializeRunRecord(r) : std::string(record_text));
  return Step(db, s.get(), "run index: adding a run");
}

Status DeleteRunDetails(sqlite3* db, std::string_view id, bool with_metrics) {
  for (const char* table : {"run_params", "run_tags", "run_checkpoints", "run_metrics", "metric_points"}) {
    const bool metric_table = std::string_view(table) == "run_metrics" || std::string_view(table) == "metric_points";
    if (metric_table && !with_metrics) continue;
    GM_ASSIGN_OR_RETURN(Statement s, Prepare(db, fmt::format("DELETE FROM {} WHERE run_id = ?", table)));
    BindText(s.get(), 1, id);
    GM_RETURN_IF_ERROR(Step(db, s.get(), "run index: replacing a run"));
  }
  return OkStatus();
}

Status InsertParams(sqlite3* db, const RunRecord& r) {
  GM_ASSIGN_OR_RETURN(Statement s, Prepare(db, "INSERT INTO run_params (run_id, key, value, number) VALUES (?, ?, ?, ?)"));
  for (const auto& [key, value] : r.capture.hyperparams) {
    sqlite3_reset(s.get());
    BindText(s.get(), 1, r.id);
    BindText(s.get(), 2, key);
    BindText(s.get(), 3, value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    BindOptionalDouble(s.get(), 4, value.is_number() ? std::optional(value.get<double>()) : std::nullopt);
    GM_RETURN_IF_ERROR(Step(db, s.get(), "run index: adding parameters"));
  }
  return OkStatus();
}

Status InsertTagsAndCheckpoints(sqlite3* db, const RunRecord& r) {
  GM_ASSIGN_OR_RETURN(Statement tag, Prepare(db, "INSERT INTO run_tags (run_id, key, value) VALUES (?, ?, ?)"));
  for (const auto& [key, value] : r.tags) {
    sqlite3_reset(tag.get());
    BindText(tag.get(), 1, r.id);
    BindText(tag.get(), 2, key);
    BindText(tag.get(), 3, value);
    GM_RETURN_IF_ERROR(Step(db, tag.get(), "run index: adding tags"));
  }
  GM_ASSIGN_OR_RETURN(Statement checkpoint, Prepare(db,
      "INSERT OR REPLACE INTO run_checkpoints (run_id, path, fingerprint, file_sha256) VALUES (?, ?, ?, ?)"));
  for (const RunCheckpoint& c : r.checkpoints) {
    sqlite3_reset(checkpoint.get());
    BindText(checkpoint.get(), 1, r.id);
    BindText(checkpoint.get(), 2, c.path);
    BindText(checkpoint.get(), 3, c.fingerprint);
    BindText(checkpoint.get(), 4, c.file_sha256);
    GM_RETURN_IF_ERROR(Step(db, checkpoint.get(), "run index: adding checkpoints"));
  }
  return OkStatus();
}

Status WriteSummaries(sqlite3* db, std::string_view id, const std::map<std::string, MetricSummary>& summaries,
                      uint64_t last_line) {
  GM_ASSIGN_OR_RETURN(Statement s, Prepare(db,
      "INSERT OR REPLACE INTO run_metrics (run_id, key, last, min, max, count, last_step, last_line) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
  for (const auto& [key, summary] : summaries) {
    sqlite3_reset(s.get());
    BindText(s.get(), 1, id);
    BindText(s.get(), 2, key);
    BindDouble(s.get(), 3, summary.last);  // NaN is stored as NULL: "no comparable value"
    BindOptionalDouble(s.get(), 4, summary.min);
    BindOptionalDouble(s.get(), 5, summary.max);
    BindInt(s.get(), 6, static_cast<int64_t>(summary.count));
    BindOptionalInt(s.get(), 7, summary.last_step);
    BindInt(s.get(), 8, static_cast<int64_t>(last_line));
    GM_RETURN_IF_ERROR(Step(db, s.get(), "run index: updating metric summaries"));
  }
  return OkStatus();
}

}  // namespace

Result<RunIndex> RunIndex::Open(const std::string& db_path) {
  GM_ASSIGN_OR_RETURN(SqliteDb db, OpenIndexDb(db_path));
  return RunIndex(std::move(db));
}

Status RunIndex::PutRun(const RunRecord& record, std::string_view record_text) {
  sqlite3* db = db_.get();
  GM_ASSIGN_OR_RETURN(WriteTransaction write, WriteTransaction::Begin(db));
  GM_RETURN_IF_ERROR(DeleteRunDetails(db, record.id, false));
  GM_RETURN_IF_ERROR(InsertRunRow(db, record, record_text));
  GM_RETURN_IF_ERROR(InsertParams(db, record));
  GM_RETURN_IF_ERROR(InsertTagsAndCheckpoints(db, record));
  if (!record.metrics.empty()) GM_RETURN_IF_ERROR(WriteSummaries(db, record.id, record.metrics, record.metric_lines));
  return write.Commit();
}

Status RunIndex::AddPoints(std::string_view run_id, std::span<const MetricPoint> points) {
  if (points.empty()) return OkStatus();
  sqlite3* db = db_.get();
  GM_ASSIGN_OR_RETURN(WriteTransaction write, WriteTransaction::Begin(db));
  GM_ASSIGN_OR_RETURN(Statement s, Prepare(db,
      "INSERT OR REPLACE INTO metric_points (run_id, key, line, step, time, value) VALUES (?, ?, ?, ?, ?, ?)"));
  for (const MetricPoint& point : points) {
    sqlite3_reset(s.get());
    BindText(s.get(), 1, run_id);
    BindText(s.get(), 2, point.key);
    BindInt(s.get(), 3, static_cast<int64_t>(point.line));
    BindOptionalInt(s.get(), 4, point.step);
    BindOptionalDouble(s.get(), 5, point.time);
    BindDouble(s.get(), 6, point.value);
    GM_RETURN_IF_ERROR(Step(db, s.get(), "run index: adding metric points"));
  }
  GM_ASSIGN_OR_RETURN(auto summaries, ReadSummaries(db, run_id));
  AddToSummaries(points, summaries);
  GM_RETURN_IF_ERROR(WriteSummaries(db, run_id, summaries, points.back().line));
  return write.Commit();
}

Status RunIndex::ClearPoints(std::string_view run_id) {
  sqlite3* db = db_.get();
  GM_ASSIGN_OR_RETURN(WriteTransaction write, WriteTransaction::Begin(db));
  for (const char* sql : {"DELETE FROM metric_points WHERE run_id = ?", "DELETE FROM run_metrics WHERE run_id = ?"}) {
    GM_ASSIGN_OR_RETURN(Statement s, Prepare(db, sql));
    BindText(s.get(), 1, run_id);
    GM_RETURN_IF_ERROR(Step(db, s.get(), "run index: clearing a run's metrics"));
  }
  return write.Commit();
}

Status RunIndex::Clear() {
  GM_ASSIGN_OR_RETURN(WriteTransaction write, WriteTransaction::Begin(db_.get()));
  GM_RETURN_IF_ERROR(Exec(db_.get(),
                          "DELETE FROM runs; DELETE FROM run_params; DELETE FROM run_tags; DELETE FROM metric_points; "
                          "DELETE FROM run_metrics; DELETE FROM run_checkpoints;",
                          "run index: clearing"));
  return write.Commit();
}

}  // namespace gitmodel
