// ReportToJson: the change report as JSON. The schema (docs/report.md copies it):
//
// {
//   "schema": "git-model/report/v1",
//   "summary": {"range": str, "since": TIME, "until": TIME, "first": TIME, "last": TIME,
//               "commits": int, "authors": [{"name": str, "email": str, "commits": int}],
//               "runs": int, "failed_runs": int},
//   "features": [{"kind": str, "title": str,
//                 "items": [{"commit": COMMIT, "scope": str, "description": str, "breaking": bool}]}],
//   "architecture": [{"path": str, "commit": COMMIT, "previous_commit": str | null,
//                     "modules_added": [str], "modules_removed": [str], "tensors_reshaped": [str],
//                     "parameters": {"before": int, "after": int},
//                     "tensors": {"before": int, "after": int}, "error": str | null}],
//   "hyperparams": [{"commit": COMMIT, "file": str, "key": str,
//                    "kind": "added" | "removed" | "changed", "old": VALUE, "new": VALUE}],
//   "performance": [{"key": str, "higher_is_better": bool, "points": [POINT],
//                    "first": POINT, "last": POINT, "best": POINT,
//                    "biggest_moves": [{"commit": COMMIT, "previous": str, "from": NUMBER,
//                                       "to": NUMBER, "delta": NUMBER}]}],
//   "environment": {"changed": [{"field": str, "values": [{"value": str, "first_run": str,
//                                                          "commit": COMMIT, "runs": int}]}],
//                   "unchanged": [{"field": str, "value": str}]},
//   "churn": [{"path": str, "commits": int, "added_lines": int, "deleted_lines": int}]
// }
//
// COMMIT: {"id": full hex, "short": 7 hex, "author": str,
//          "date": RFC 3339 in the author's zone ("2026-11-20T10:00:00+01:00"), "subject": str}
// TIME:   RFC 3339 UTC ("2026-11-20T09:00:00Z"), or null when not given / no commits.
// POINT:  {"commit": COMMIT, "value": NUMBER, "runs": int}
// NUMBER: a JSON number, or "NaN", "Infinity", "-Infinity" (JSON has no non-finite numbers).
// VALUE:  the config value as JSON (any type, null included). "old" is left out when the key
//         was added and "new" when it was removed: null is a value a config can hold, so it
//         cannot mean "absent"; "kind" says which. Every other optional field is null when absent.
// "scope" is "" when the subject has none; "previous_commit" is null for a new checkpoint; when
// "error" is set, the lists are empty and the counts 0. Arrays keep change_report.h's order.
#include <cmath>

#include "report/report_render.h"
#include "report/report_text.h"

namespace gitmodel {
namespace {

using nlohmann::json;

json NumberJson(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  return value;
}

json TimeJson(const std::optional<int64_t>& seconds) { return seconds ? json(UtcRfc3339(*seconds)) : json(nullptr); }

json CommitJson(const ReportCommit& c) {
  return {{"id", c.id}, {"short", ShortId(c.id)}, {"author", c.author}, {"date", CommitRfc3339(c)},
          {"subject", c.subject}};
}

template <typename T, typename F>
json ArrayJson(const std::vector<T>& items, F&& to_json) {
  json out = json::array();
  for (const T& item : items) out.push_back(to_json(item));
  return out;
}

json SummaryJson(const ReportSummary& s) {
  json authors = ArrayJson(s.authors, [](const AuthorCount& a) {
    return json{{"name", a.name}, {"email", a.email}, {"commits", a.commits}};
  });
  return {{"range", s.range},       {"since", TimeJson(s.since)},  {"until", TimeJson(s.until)},
          {"first", TimeJson(s.first_time)}, {"last", TimeJson(s.last_time)}, {"commits", s.commits},
          {"authors", std::move(authors)},   {"runs", s.runs},           {"failed_runs", s.failed_runs}};
}

json FeatureGroupJson(const FeatureGroup& g) {
  json items = ArrayJson(g.items, [](const FeatureItem& i) {
    return json{{"commit", CommitJson(i.commit)}, {"scope", i.scope}, {"description", i.description},
                {"breaking", i.breaking}};
  });
  return {{"kind", g.kind}, {"title", g.title}, {"items", std::move(items)}};
}

json ArchitectureJson(const ArchitectureChange& a) {
  return {{"path", a.path},
          {"commit", CommitJson(a.commit)},
          {"previous_commit", a.previous_commit.empty() ? json(nullptr) : json(a.previous_commit)},
          {"modules_added", a.modules_added},
          {"modules_removed", a.modules_removed},
          {"tensors_reshaped", a.tensors_reshaped},
          {"parameters", {{"before", a.parameters_before}, {"after", a.parameters_after}}},
          {"tensors", {{"before", a.tensors_before}, {"after", a.tensors_after}}},
          {"error", a.error ? json(*a.error) : json(nullptr)}};
}

json HyperparamJson(const HyperparamChange& h) {
  const ParamChange& c = h.change;
  json out = {{"commit", CommitJson(h.commit)}, {"file", h.path}, {"key", c.key}};
  out["kind"] = !c.old_value ? "added" : !c.new_value ? "removed" : "changed";
  if (c.old_value) out["old"] = *c.old_value;
  if (c.new_value) out["new"] = *c.new_value;
  return out;
}

json PointJson(const MetricAtCommit& p) {
  return {{"commit", CommitJson(p.commit)}, {"value", NumberJson(p.value)}, {"runs", p.runs}};
}

json MoveJson(const MetricMove& m) {
  return {{"commit", CommitJson(m.commit)}, {"previous", m.previous}, {"from", NumberJson(m.from)},
          {"to", NumberJson(m.to)}, {"delta", NumberJson(m.to - m.from)}};
}

json TrendJson(const MetricTrend& t) {
  return {{"key", t.key},
          {"higher_is_better", t.higher_is_better},
          {"points", ArrayJson(t.points, PointJson)},
          {"first", PointJson(t.first)},
          {"last", PointJson(t.last)},
          {"best", PointJson(t.best)},
          {"biggest_moves", ArrayJson(t.biggest_moves, MoveJson)}};
}

json EnvironmentJson(const ChangeReport& r) {
  json changed = ArrayJson(r.environment, [](const EnvChange& c) {
    return json{{"field", c.field}, {"values", ArrayJson(c.values, [](const EnvValueSeen& v) {
                   return json{{"value", v.value}, {"first_run", v.first_run}, {"commit", CommitJson(v.commit)},
                               {"runs", v.runs}};
                 })}};
  });
  json unchanged = ArrayJson(r.environment_unchanged, [](const EnvUnchanged& u) {
    return json{{"field", u.field}, {"value", u.value}};
  });
  return {{"changed", std::move(changed)}, {"unchanged", std::move(unchanged)}};
}

json ChurnJson(const FileChurn& f) {
  return {{"path", f.path}, {"commits", f.commits}, {"added_lines", f.added_lines},
          {"deleted_lines", f.deleted_lines}};
}

}  // namespace

json ReportToJson(const ChangeReport& report) {
  json out = json::object();
  out["schema"] = "git-model/report/v1";
  out["summary"] = SummaryJson(report.summary);
  out["features"] = ArrayJson(report.features, FeatureGroupJson);
  out["architecture"] = ArrayJson(report.architecture, ArchitectureJson);
  out["hyperparams"] = ArrayJson(report.hyperparams, HyperparamJson);
  out["performance"] = ArrayJson(report.performance, TrendJson);
  out["environment"] = EnvironmentJson(report);
  out["churn"] = ArrayJson(report.churn, ChurnJson);
  return out;
}

}  // namespace gitmodel
