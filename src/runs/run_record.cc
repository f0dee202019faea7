#include "runs/run_record.h"

#include <cmath>
#include <limits>

#include "base/json_document.h"
#include "provenance/json_fields.h"

namespace gitmodel {
namespace {

using nlohmann::json;

// The sections of a provenance record that a run captures (run_record.h).
constexpr const char* kCaptureSections[] = {"git", "hyperparams", "hyperparam_sources", "config", "env", "data"};

// JSON has no NaN or infinities: they are written as the metrics protocol's strings.
json NumberToJson(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  return value;
}

Result<double> NumberFromJson(const json& value, const std::string& field) {
  if (value.is_number()) return value.get<double>();
  if (value == "NaN") return std::numeric_limits<double>::quiet_NaN();
  if (value == "Infinity") return std::numeric_limits<double>::infinity();
  if (value == "-Infinity") return -std::numeric_limits<double>::infinity();
  return Corrupt("run record field {}: expected a number", field);
}

template <typename T>
void PutOptional(json& out, const char* key, const std::optional<T>& value) {
  if (value) out[key] = *value;
}

json SummaryToJson(const MetricSummary& s) {
  json out = {{"last", NumberToJson(s.last)}, {"count", s.count}};
  if (s.min) out["min"] = NumberToJson(*s.min);
  if (s.max) out["max"] = NumberToJson(*s.max);
  PutOptional(out, "last_step", s.last_step);
  return out;
}

json MetricsToJson(const RunRecord& r) {
  json summaries = json::object();
  for (const auto& [key, summary] : r.metrics) summaries[key] = SummaryToJson(summary);
  json out = {{"lines", r.metric_lines}, {"summary", summaries}};
  if (!r.metric_warnings.empty()) out["warnings"] = r.metric_warnings;
  if (r.metric_warnings_dropped) out["warnings_dropped"] = r.metric_warnings_dropped;
  return out;
}

json CheckpointToJson(const RunCheckpoint& c) {
  return {{"path", c.path}, {"fingerprint", c.fingerprint}, {"file_sha256", c.file_sha256}};
}

Status OptionalDouble(const JsonFields& f, std::string_view key, std::optional<double>* out) {
  if (const json* v = f.Find(key)) {
    GM_ASSIGN_OR_RETURN(double value, NumberFromJson(*v, f.Path(key)));
    *out = value;
  }
  return OkStatus();
}

Status OptionalInt(const JsonFields& f, std::string_view key, std::optional<int>* out) {
  if (f.Find(key)) {
    int value = 0;
    GM_RETURN_IF_ERROR(f.Int(key, &value));
    *out = value;
  }
  return OkStatus();
}

Status SummaryFromJson(const JsonFields& f, MetricSummary* s) {
  GM_RETURN_IF_ERROR(f.RequireObject());
  const json* last = f.Find("last");
  if (!last) return Corrupt("run record field {}: missing", f.Path("last"));
  GM_ASSIGN_OR_RETURN(s->last, NumberFromJson(*last, f.Path("last")));
  GM_RETURN_IF_ERROR(OptionalDouble(f, "min", &s->min));
  GM_RETURN_IF_ERROR(OptionalDouble(f, "max", &s->max));
  GM_RETURN_IF_ERROR(f.UInt("count", &s->count));
  if (f.Find("last_step")) {
    uint64_t step = 0;
    GM_RETURN_IF_ERROR(f.UInt("last_step", &step));
    s->last_step = static_cast<int64_t>(step);
  }
  return OkStatus();
}

Status MetricsFromJson(const JsonFields& f, RunRecord* r) {
  GM_RETURN_IF_ERROR(f.RequireObject());
  GM_RETURN_IF_ERROR(f.UInt("lines", &r->metric_lines));
  GM_RETURN_IF_ERROR(f.StringList("warnings", &r->metric_warnings));
  GM_RETURN_IF_ERROR(f.UInt("warnings_dropped", &r->metric_warnings_dropped));
  if (const json* summary = f.Find("summary")) {
    if (!summary->is_object()) return Corrupt("run record field {}: expected an object", f.Path("summary"));
    for (const auto& [key, value] : summary->items()) {
      GM_RETURN_IF_ERROR(SummaryFromJson(JsonFields(value, f.Path("summary") + "." + key), &r->metrics[key]));
    }
  }
  return OkStatus();
}

Status CheckpointsFromJson(const JsonFields& f, RunRecord* r) {
  const json* list = f.Find("checkpoints");
  if (!list) return OkStatus();
  if (!list->is_array()) return Corrupt("run record field checkpoints: expected a list");
  for (const json& item : *list) {
    JsonFields c(item, "checkpoints[]");
    GM_RETURN_IF_ERROR(c.RequireObject());
    RunCheckpoint checkpoint;
    GM_RETURN_IF_ERROR(c.String("path", &checkpoint.path));
    GM_RETURN_IF_ERROR(c.String("fingerprint", &checkpoint.fingerprint));
    GM_RETURN_IF_ERROR(c.String("file_sha256", &checkpoint.file_sha256));
    r->checkpoints.push_back(std::move(checkpoint));
  }
  return OkStatus();
}

Status OutcomeFromJson(const JsonFields& f, RunRecord* r) {
  GM_RETURN_IF_ERROR(f.String("status", &r->status));
  GM_RETURN_IF_ERROR(f.String("start", &r->start));
  GM_RETURN_IF_ERROR(f.String("end", &r->end));
  GM_RETURN_IF_ERROR(OptionalDouble(f, "wall_seconds", &r->wall_seconds));
  GM_RETURN_IF_ERROR(OptionalInt(f, "exit_code", &r->exit_code));
  GM_RETURN_IF_ERROR(OptionalInt(f, "signal", &r->signal));
  GM_RETURN_IF_ERROR(f.Bool("core_dumped", &r->core_dumped));
  if (f.Find("peak_rss_kb")) {
    uint64_t kb = 0;
    GM_RETURN_IF_ERROR(f.UInt("peak_rss_kb", &kb));
    r->peak_rss_kb = static_cast<int64_t>(kb);
  }
  GM_RETURN_IF_ERROR(OptionalDouble(f, "user_seconds", &r->user_seconds));
  return OptionalDouble(f, "system_seconds", &r->system_seconds);
}

// The captured sections, read back through the provenance record's parser.
Status CaptureFromJson(const json& j, RunRecord* r) {
  json capture = {{"schema", kProvenanceSchema}};
  for (const char* section : kCaptureSections) {
    if (j.contains(section)) capture[section] = j[section];
  }
  GM_ASSIGN_OR_RETURN(r->capture, RecordFromJson(capture));
  return OkStatus();
}

}  // namespace

std::string CommandLine(const std::vector<std::string>& argv) {
  std::string out;
  for (const std::string& arg : argv) {
    if (!out.empty()) out += ' ';
    const bool plain = !arg.empty() && arg.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                             "0123456789-_./=:,+@%") == std::string::npos;
    if (plain) {
      out += arg;
      continue;
    }
    out += '\'';
    for (char c : arg) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    out += '\'';
  }
  return out;
}

json RunRecordToJson(const RunRecord& r) {
  json out = {{"schema", kRunSchema}, {"id", r.id}, {"name", r.name}, {"tags", r.tags},
              {"command", r.command}, {"cwd", r.cwd}, {"status", r.status}, {"start", r.start}};
  PutIfNotEmpty(out, "end", r.end);
  if (r.wall_seconds) out["wall_seconds"] = *r.wall_seconds;
  PutOptional(out, "exit_code", r.exit_code);
  PutOptional(out, "signal", r.signal);
  if (r.core_dumped) out["core_dumped"] = true;
  PutOptional(out, "peak_rss_kb", r.peak_rss_kb);
  PutOptional(out, "user_seconds", r.user_seconds);
  PutOptional(out, "system_seconds", r.system_seconds);
  out["metrics"] = MetricsToJson(r);
  out["checkpoints"] = json::array();
  for (const RunCheckpoint& c : r.checkpoints) out["checkpoints"].push_back(CheckpointToJson(c));
  const json capture = RecordToJson(r.capture);
  for (const char* section : kCaptureSections) {
    if (capture.contains(section)) out[section] = capture[section];
  }
  return out;
}

std::string SerializeRunRecord(const RunRecord& record) {
  return RunRecordToJson(record).dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

Result<RunRecord> ParseRunRecord(std::string_view text) {
  if (text.size() > kMaxRecordBytes) {
    return LimitExceeded("run record of {} bytes is over the {} byte limit", text.size(), kMaxRecordBytes);
  }
  GM_ASSIGN_OR_RETURN(json j, ParseJsonDocument(text, "run record"));
  JsonFields f(j, "");
  GM_RETURN_IF_ERROR(f.RequireObject());
  std::string schema;
  GM_RETURN_IF_ERROR(f.String("schema", &schema));
  if (schema != kRunSchema) {
    return schema.empty() ? Status(Corrupt("not a git-model run record (no \"schema\" field)"))
                          : Status(Unsupported("run record schema \"{}\" is not supported (this git-model reads {})",
                                               schema, kRunSchema));
  }
  RunRecord r;
  GM_RETURN_IF_ERROR(f.String("id", &r.id));
  if (r.id.empty()) return Corrupt("run record without an id");
  GM_RETURN_IF_ERROR(f.String("name", &r.name));
  GM_RETURN_IF_ERROR(f.StringMap("tags", &r.tags));
  GM_RETURN_IF_ERROR(f.StringList("command", &r.command));
  GM_RETURN_IF_ERROR(f.String("cwd", &r.cwd));
  GM_RETURN_IF_ERROR(OutcomeFromJson(f, &r));
  if (const json* m = f.Find("metrics")) GM_RETURN_IF_ERROR(MetricsFromJson(JsonFields(*m, "metrics"), &r));
  GM_RETURN_IF_ERROR(CheckpointsFromJson(f, &r));
  GM_RETURN_IF_ERROR(CaptureFromJson(j, &r));
  return r;
}

}  // namespace gitmodel
