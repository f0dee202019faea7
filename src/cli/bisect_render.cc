#include "cli/bisect_render.h"

#include <cmath>

#include <fmt/core.h>

#include "cli/render.h"
#include "cli/render_params.h"
#include "cli/runs_context.h"
#include "cli/runs_render.h"

namespace gitmodel::cli {
namespace {

std::string RuleText(const BisectResult& r) {
  return fmt::format("good when {}, by the {} of each commit's runs ({})", r.rule.GoodText(),
                     MetricAggName(r.rule.agg), r.mode == "online" ? "runs made by this bisect" : "recorded runs");
}

std::string RowsTable(const BisectResult& r) {
  std::vector<std::vector<std::string>> table = {{"  commit", "date", "value", "runs", "verdict", "", "subject"}};
  for (const BisectRow& row : r.around) {
    std::string runs = std::to_string(row.runs);
    if (row.runs_without_value) runs += fmt::format(" (+{} failed)", row.runs_without_value);
    std::string mark = row.commit.id == r.good.id ? "--good" : row.commit.id == r.bad.id ? "--bad" : "";
    if (row.candidate) mark += std::string(mark.empty() ? "" : " ") + (r.found() ? "<- first bad" : "<- candidate");
    table.push_back({"  " + row.commit.id.substr(0, 7), CommitDate(row.commit).substr(0, 16).replace(10, 1, " "),
                     row.verdict.value ? MetricValue(*row.verdict.value) : "-", runs,
                     std::string(VerdictName(row.verdict.verdict)), mark, row.commit.subject});
  }
  return FormatTable(table);
}

std::string FirstBadText(const BisectResult& r) {
  const CommitMeta& c = r.candidates.front();
  std::string out = fmt::format("first bad commit: {}\n  author: {} <{}>, {}\n", CommitHeadline(c), c.author, c.email, CommitDate(c));
  if (!r.params.empty()) out += "  hyperparameters it changed:\n" + FileChangesText(r.params, 4);
  if (!r.files.empty()) out += "  files it changed:\n";
  for (const FileChange& f : r.files) out += "    " + FileChangeText(f) + "\n";
  return out;
}

std::string CandidatesText(const BisectResult& r) {
  std::string out = fmt::format("the first bad commit could be any of {} commits (skipped or untested):\n", r.candidates.size());
  for (const CommitMeta& c : r.candidates) out += "  " + CommitHeadline(c) + "\n";
  if (r.mode == "offline" && r.untested) out += "  test them: the same command with --fill -- COMMAND...\n";
  return out;
}

nlohmann::json ValueJson(const std::optional<double>& v) {
  if (!v) return nullptr;
  if (std::isnan(*v)) return "NaN";
  if (std::isinf(*v)) return *v > 0 ? "Infinity" : "-Infinity";
  return *v;
}

}  // namespace

std::string BisectText(const BisectResult& r) {
  std::string out = r.found() ? FirstBadText(r) : CandidatesText(r);
  out += fmt::format("\n{}\n{}", RuleText(r), RowsTable(r));
  out += fmt::format("{} commits after --good: {} tested, {} skipped, {} untested\n", Thousands(r.commits),
                     Thousands(r.tested), Thousands(r.skipped), Thousands(r.untested));
  return out;
}

nlohmann::json BisectJson(const BisectResult& r) {
  nlohmann::json out = {{"mode", r.mode}, {"metric", r.rule.metric},
                        {r.rule.good_when_at_least ? "min" : "max", r.rule.limit},
                        {"agg", MetricAggName(r.rule.agg)}, {"good", CommitJson(r.good)}, {"bad", CommitJson(r.bad)},
                        {"found", r.found()}, {"first_bad", r.found() ? CommitJson(r.candidates.front()) : nlohmann::json()},
                        {"candidates", nlohmann::json::array()}, {"commits", nlohmann::json::array()},
                        {"counts", {{"commits", r.commits}, {"tested", r.tested}, {"skipped", r.skipped}, {"untested", r.untested}}},
                        {"params", FileChangesJson(r.params)}, {"files", nlohmann::json::array()}, {"warnings", r.warnings}};
  for (const CommitMeta& c : r.candidates) out["candidates"].push_back(CommitJson(c));
  for (const BisectRow& row : r.around) {
    nlohmann::json commit = CommitJson(row.commit);
    commit.update({{"value", ValueJson(row.verdict.value)}, {"runs", row.runs}, {"runs_without_value", row.runs_without_value},
                   {"verdict", VerdictName(row.verdict.verdict)}, {"candidate", row.candidate}});
    out["commits"].push_back(std::move(commit));
  }
  for (const FileChange& f : r.files) out["files"].push_back(FileChangeJson(f));
  return out;
}

}  // namespace gitmodel::cli
