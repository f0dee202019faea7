#include "cli/runs_render.h"

#include <fmt/core.h>

#include "cli/render.h"
#include "cli/runs_context.h"
#include "runs/metrics_line.h"

namespace gitmodel::cli {
namespace {

std::string ShortCommit(const std::string& commit, bool dirty) {
  if (commit.empty()) return "-";
  return commit.substr(0, 8) + (dirty ? "+" : "");
}

nlohmann::json NumberJson(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  return value;
}

std::string GitText(const GitSection& g) {
  if (!g.in_repo || g.commit.empty()) return "(no commit)";
  std::string text = fmt::format("{} ({})", g.commit.substr(0, 12), g.detached ? "detached" : g.branch);
  if (!g.dirty) return text + ", clean";
  text += fmt::format(", dirty: {} changed, {} untracked", g.changed.size(), g.untracked.size());
  if (g.patch) text += fmt::format(", patch {}", HumanBytes(g.patch->bytes));
  return text;
}

void AppendMetricTable(const std::map<std::string, MetricSummary>& metrics, std::string& out) {
  std::vector<std::vector<std::string>> rows{{"  metrics", "last", "min", "max", "count", "last step"}};
  for (const auto& [key, s] : metrics) {
    rows.push_back({"    " + key, MetricValue(s.last), s.min ? MetricValue(*s.min) : "-",
                    s.max ? MetricValue(*s.max) : "-", Thousands(s.count),
                    s.last_step ? std::to_string(*s.last_step) : "-"});
  }
  out += FormatTable(rows);
}

std::string Optional(const std::optional<std::string>& value) { return value ? *value : "-"; }

}  // namespace

std::string SeriesTable(const std::vector<MetricPoint>& points) {
  std::vector<std::vector<std::string>> rows{{"LINE", "STEP", "TIME", "VALUE"}};
  for (const MetricPoint& p : points) {
    rows.push_back({std::to_string(p.line), p.step ? std::to_string(*p.step) : "-",
                    p.time ? fmt::format("{:.3f}", *p.time) : "-", MetricValue(p.value)});
  }
  return FormatTable(rows);
}

nlohmann::json SeriesJson(const std::string& run_id, const std::string& key, const std::vector<MetricPoint>& points) {
  nlohmann::json list = nlohmann::json::array();
  for (const MetricPoint& p : points) {
    list.push_back({{"line", p.line}, {"step", p.step ? nlohmann::json(*p.step) : nlohmann::json()},
                    {"time", p.time ? nlohmann::json(*p.time) : nlohmann::json()}, {"value", NumberJson(p.value)}});
  }
  return {{"run", run_id}, {"key", key}, {"points", list}};
}

nlohmann::json SummaryJson(const MetricSummary& s) {
  nlohmann::json out = {{"last", NumberJson(s.last)}, {"count", s.count}};
  out["min"] = s.min ? NumberJson(*s.min) : nlohmann::json();
  out["max"] = s.max ? NumberJson(*s.max) : nlohmann::json();
  out["last_step"] = s.last_step ? nlohmann::json(*s.last_step) : nlohmann::json();
  return out;
}

std::string RunsTable(const std::vector<RunRow>& rows, const std::vector<std::string>& metric_columns) {
  std::vector<std::vector<std::string>> table{{"ID", "NAME", "STATUS", "COMMIT", "STARTED", "WALL"}};
  for (const std::string& key : metric_columns) table[0].push_back(key);
  for (const RunRow& r : rows) {
    std::vector<std::string> line{r.id, r.name.empty() ? "-" : r.name, r.status, ShortCommit(r.commit, r.dirty),
                                  ShortTime(r.start), r.wall_seconds ? Duration(*r.wall_seconds) : "-"};
    for (const std::string& key : metric_columns) {
      auto it = r.metrics.find(key);
      line.push_back(it == r.metrics.end() ? "-" : MetricValue(it->second.last));
    }
    table.push_back(std::move(line));
  }
  return FormatTable(table);
}

nlohmann::json RunRowJson(const RunRow& r) {
  nlohmann::json out = {{"id", r.id}, {"name", r.name}, {"status", r.status}, {"commit", r.commit},
                        {"branch", r.branch}, {"dirty", r.dirty}, {"start", r.start}};
  out["end"] = r.end.empty() ? nlohmann::json() : nlohmann::json(r.end);
  out["wall_seconds"] = r.wall_seconds ? nlohmann::json(*r.wall_seconds) : nlohmann::json();
  out["exit_code"] = r.exit_code ? nlohmann::json(*r.exit_code) : nlohmann::json();
  out["signal"] = r.signal ? nlohmann::json(*r.signal) : nlohmann::json();
  out["metrics"] = nlohmann::json::object();
  for (const auto& [key, summary] : r.metrics) out["metrics"][key] = SummaryJson(summary);
  return out;
}

std::string RunShowText(const RunRecord& r, const std::string& log_path) {
  std::string out = fmt::format("run {}{}\n", r.id, r.name.empty() ? "" : "  " + r.name);
  out += fmt::format("  status       {} ({})\n", r.status, ExitText(r.exit_code, r.signal));
  out += fmt::format("  command      {}   (in {})\n", CommandLine(r.command), r.cwd);
  out += fmt::format("  started      {}", ShortTime(r.start));
  if (r.wall_seconds) out += fmt::format(", wall {}", Duration(*r.wall_seconds));
  if (r.peak_rss_kb) out += fmt::format(", peak memory {}", HumanBytes(static_cast<uint64_t>(*r.peak_rss_kb) * 1024));
  if (r.user_seconds) out += fmt::format(", cpu {:.1f} s user + {:.1f} s system", *r.user_seconds, r.system_seconds.value_or(0));
  out += fmt::format("\n  commit       {}\n", GitText(r.capture.git));
  for (const auto& [key, value] : r.tags) out += fmt::format("  tag          {}={}\n", key, value);
  for (const ConfigFileInfo& c : r.capture.config) out += fmt::format("  config       {} ({})\n", c.path, c.format);
  for (const DataDigest& d : r.capture.data) out += fmt::format("  data         {} (tree {})\n", d.path, d.tree_hash);
  if (!r.capture.hyperparams.empty()) out += "  hyperparams\n";
  for (const auto& [key, value] : r.capture.hyperparams) {
    auto source = r.capture.hyperparam_sources.find(key);
    out += fmt::format("    {} = {}{}\n", key, value.dump(), source == r.capture.hyperparam_sources.end() ? "" : "   (" + source->second + ")");
  }
  if (!r.metrics.empty()) AppendMetricTable(r.metrics, out);
  for (const std::string& w : r.metric_warnings) out += fmt::format("  warning      {}\n", w);
  if (r.metric_warnings_dropped) out += fmt::format("  warning      ... and {} more\n", r.metric_warnings_dropped);
  for (const RunCheckpoint& c : r.checkpoints) out += fmt::format("  checkpoint   {} (fingerprint {})\n", c.path, c.fingerprint.substr(0, 12));
  const EnvInfo& env = r.capture.env;
  out += fmt::format("  environment  python {}, torch {}, {}\n", env.python.empty() ? "?" : env.python,
                     env.torch.empty() ? "?" : env.torch, env.hostname.empty() ? "?" : env.hostname);
  out += fmt::format("  log          {}\n", log_path);
  return out;
}

std::string CompareText(const RunComparison& c) {
  std::vector<std::vector<std::string>> table{{""}};
  for (const RunRecord& r : c.runs) table[0].push_back(r.id);
  auto row = [&](std::string label, auto value_of) {
    std::vector<std::string> line{std::move(label)};
    for (const RunRecord& r : c.runs) line.push_back(value_of(r));
    table.push_back(std::move(line));
  };
  row("  name", [](const RunRecord& r) { return r.name.empty() ? std::string("-") : r.name; });
  row("  status", [](const RunRecord& r) { return r.status; });
  row("  commit", [](const RunRecord& r) { return ShortCommit(r.capture.git.commit, r.capture.git.dirty); });
  row("  started", [](const RunRecord& r) { return ShortTime(r.start); });
  if (!c.params.empty()) table.push_back({"hyperparams (* differ)"});
  for (const ComparedValue& p : c.params) {
    std::vector<std::string> line{(p.differs ? "* " : "  ") + p.key};
    for (const auto& v : p.values) line.push_back(Optional(v));
    table.push_back(std::move(line));
  }
  if (!c.metrics.empty()) table.push_back({"metrics (last; best: min..max)"});
  for (const ComparedMetric& m : c.metrics) {
    std::vector<std::string> line{"  " + m.key};
    for (const auto& v : m.values) {
      line.push_back(!v ? "-" : MetricValue(v->last) + (v->min ? fmt::format(" ({}..{})", MetricValue(*v->min), MetricValue(*v->max)) : ""));
    }
    table.push_back(std::move(line));
  }
  table.push_back({c.environment.empty() ? "environment: the same" : "environment (differences)"});
  for (const ComparedValue& e : c.environment) {
    std::vector<std::string> line{"  " + e.key};
    for (const auto& v : e.values) line.push_back(Optional(v));
    table.push_back(std::move(line));
  }
  std::string out = FormatTable(table);
  for (size_t i = 0; i < c.code.size(); ++i) {
    const CodeChanges& code = c.code[i];
    out += fmt::format("code from {} to {} ({}):", ShortCommit(code.from_commit, false), ShortCommit(code.to_commit, false), c.runs[i + 1].id);
    if (!code.error.empty()) out += " " + code.error + "\n";
    else if (code.files.empty()) out += " the same commit tree\n";
    else out += "\n";
    for (const FileChange& f : code.files) out += "  " + FileChangeText(f) + "\n";
    if (c.runs[i + 1].capture.git.dirty) out += fmt::format("  and uncommitted changes: see git model runs show {}\n", c.runs[i + 1].id);
  }
  return out;
}

std::string FileChangeText(const FileChange& f) {
  return f.binary ? fmt::format("{} {} (binary)", f.status, f.path)
                  : fmt::format("{} {}  +{} -{}", f.status, f.path, f.added_lines, f.deleted_lines);
}

nlohmann::json FileChangeJson(const FileChange& f) {
  return {{"path", f.path}, {"status", std::string(1, f.status)}, {"added_lines", f.added_lines},
          {"deleted_lines", f.deleted_lines}, {"binary", f.binary}};
}

nlohmann::json CompareJson(const RunComparison& c) {
  nlohmann::json out = {{"runs", nlohmann::json::array()}, {"params", nlohmann::json::array()},
                        {"metrics", nlohmann::json::array()}, {"environment", nlohmann::json::array()},
                        {"code", nlohmann::json::array()}};
  for (const RunRecord& r : c.runs) out["runs"].push_back({{"id", r.id}, {"name", r.name}, {"status", r.status}, {"commit", r.capture.git.commit}, {"dirty", r.capture.git.dirty}});
  auto values = [](const std::vector<std::optional<std::string>>& vs) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& v : vs) list.push_back(v ? nlohmann::json(*v) : nlohmann::json());
    return list;
  };
  for (const ComparedValue& p : c.params) out["params"].push_back({{"key", p.key}, {"values", values(p.values)}, {"differs", p.differs}});
  for (const ComparedValue& e : c.environment) out["environment"].push_back({{"key", e.key}, {"values", values(e.values)}});
  for (const ComparedMetric& m : c.metrics) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& v : m.values) list.push_back(v ? SummaryJson(*v) : nlohmann::json());
    out["metrics"].push_back({{"key", m.key}, {"values", list}});
  }
  for (const CodeChanges& code : c.code) {
    nlohmann::json files = nlohmann::json::array();
    for (const FileChange& f : code.files) files.push_back(FileChangeJson(f));
    out["code"].push_back({{"from", code.from_commit}, {"to", code.to_commit}, {"files", files},
                           {"error", code.error.empty() ? nlohmann::json() : nlohmann::json(code.error)}});
  }
  return out;
}

}  // namespace gitmodel::cli
