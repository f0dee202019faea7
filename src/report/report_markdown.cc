// RenderReportMarkdown: a weekly review's page. One "##" heading per section in the order of
// report_sections.h; tables for hyperparameters, performance and churn, bullet lists elsewhere.
#include <fmt/format.h>

#include "report/markdown_text.h"
#include "report/report_item_text.h"
#include "report/report_render.h"
#include "report/report_sections.h"
#include "report/report_text.h"

namespace gitmodel {
namespace {

// "## Title\n\n<body>\n", or the section's one-line message when there is no body.
std::string Section(const ReportSection& section, const std::string& body) {
  return fmt::format("## {}\n\n{}\n", section.title, body.empty() ? std::string(section.empty_text) + "\n" : body);
}

// "`abc1234` subject (Alice, 2026-11-20)".
std::string CommitCited(const ReportCommit& c) {
  return fmt::format("{}: {} ({}, {})", MarkdownCode(ShortId(c.id)), MarkdownText(c.subject), MarkdownText(c.author),
                     CommitDay(c));
}

std::string Heading(const ReportSummary& s) {
  const std::string period = PeriodText(s);
  return fmt::format("# Model report: {}{}\n\n", MarkdownText(s.range), period.empty() ? "" : " (" + period + ")");
}

std::string SummaryBody(const ReportSummary& s) {
  const std::string period = PeriodText(s);
  std::string out = fmt::format("- Range: {}\n", MarkdownCode(s.range));
  out += fmt::format("- Period: {}\n", period.empty() ? "every commit of the range" : period + " (UTC)");
  out += fmt::format("- Commits: {}", s.commits);
  if (s.first_time && s.last_time) out += fmt::format(", {} to {}", UtcDay(*s.first_time), UtcDay(*s.last_time));
  out += fmt::format("\n- Authors: {}\n", MarkdownText(AuthorsText(s.authors)));
  out += fmt::format("- Runs: {}\n", RunsText(s));
  return s.commits == 0 ? out + "\n" + std::string(kSummarySection.empty_text) + "\n" : out;
}

// "- `abc1234` description (scope) **[breaking]** by Alice".
std::string FeatureLine(const FeatureItem& i) {
  std::string out = "- " + MarkdownCode(ShortId(i.commit.id)) + " " + MarkdownText(i.description);
  if (!i.scope.empty()) out += " (" + MarkdownText(i.scope) + ")";
  if (i.breaking) out += " **[breaking]**";
  return out + " by " + MarkdownText(i.commit.author) + "\n";
}

std::string FeaturesBody(const std::vector<FeatureGroup>& groups) {
  std::string out;
  for (const FeatureGroup& g : groups) {
    out += fmt::format("### {}\n\n", MarkdownText(g.title));
    for (const FeatureItem& i : g.items) out += FeatureLine(i);
    out += "\n";
  }
  return out.empty() ? out : out.substr(0, out.size() - 1);
}

std::string ArchitectureBody(const std::vector<ArchitectureChange>& changes) {
  std::string out;
  for (const ArchitectureChange& a : changes) {
    out += fmt::format("- {} at {}\n", MarkdownCode(a.path), CommitCited(a.commit));
    for (const std::string& line : ArchitectureDetails(a)) out += fmt::format("  - {}\n", MarkdownText(line));
  }
  return out;
}

std::string HyperparamsBody(const std::vector<HyperparamChange>& changes) {
  if (changes.empty()) return "";
  std::string out = MarkdownTableHeader({"Commit", "File", "Change", "Subject"});
  for (const HyperparamChange& h : changes)
    out += MarkdownRow({MarkdownCode(ShortId(h.commit.id)), MarkdownCode(h.path),
                        MarkdownCode(ParamChangeText(h.change)), MarkdownText(h.commit.subject)});
  return out;
}

std::string TrendRow(const MetricTrend& t) {
  return MarkdownRow({MarkdownCode(t.key), ValueChangeText(t.first.value, t.last.value),
                      fmt::format("{} at {}", NumberText(t.best.value), MarkdownCode(ShortId(t.best.commit.id))),
                      std::string(DirectionText(t.higher_is_better)), fmt::format("{}", t.points.size())});
}

std::string MovesList(const MetricTrend& t) {
  std::string out = fmt::format("Biggest moves of {}:\n\n", MarkdownCode(t.key));
  for (const MetricMove& m : t.biggest_moves)
    out += fmt::format("- {}  {}  {}\n", MarkdownCode(ShortId(m.commit.id)), MoveValuesText(m),
                       MarkdownText(m.commit.subject));
  return out + "\n";
}

std::string PerformanceBody(const std::vector<MetricTrend>& trends) {
  if (trends.empty()) return "";
  std::string out = MarkdownTableHeader({"Metric", "First -> last", "Best", "Direction", "Commits"});
  for (const MetricTrend& t : trends) out += TrendRow(t);
  out += "\n";
  for (const MetricTrend& t : trends)
    if (!t.biggest_moves.empty()) out += MovesList(t);
  return out.substr(0, out.size() - 1);
}

std::string EnvironmentBody(const ChangeReport& r) {
  if (r.environment.empty() && r.environment_unchanged.empty()) return "";
  std::string out;
  if (r.environment.empty()) out += std::string(kNoEnvironmentChanges) + "\n\n";
  for (const EnvChange& c : r.environment) {
    out += fmt::format("- {} changed:\n", MarkdownCode(c.field));
    for (const EnvValueSeen& v : c.values) out += fmt::format("  - {}\n", MarkdownText(EnvValueText(v)));
  }
  if (!r.environment_unchanged.empty())
    out += fmt::format("{}Unchanged: {}\n", r.environment.empty() ? "" : "\n",
                       MarkdownText(UnchangedEnvText(r.environment_unchanged)));
  return out;
}

std::string ChurnBody(const std::vector<FileChurn>& churn) {
  if (churn.empty()) return "";
  std::string out = MarkdownTableHeader({"File", "Commits", "Lines"});
  for (const FileChurn& f : churn)
    out += MarkdownRow({MarkdownCode(f.path), fmt::format("{}", f.commits), LinesText(f)});
  return out;
}

}  // namespace

std::string RenderReportMarkdown(const ChangeReport& r) {
  std::string out = Heading(r.summary);
  out += Section(kSummarySection, SummaryBody(r.summary));
  out += Section(kFeaturesSection, FeaturesBody(r.features));
  out += Section(kArchitectureSection, ArchitectureBody(r.architecture));
  out += Section(kHyperparamsSection, HyperparamsBody(r.hyperparams));
  out += Section(kPerformanceSection, PerformanceBody(r.performance));
  out += Section(kEnvironmentSection, EnvironmentBody(r));
  out += Section(kChurnSection, ChurnBody(r.churn));
  return out.substr(0, out.size() - 1);  // one newline at the end
}

}  // namespace gitmodel
