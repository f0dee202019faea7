// RenderReportHtml: one self-contained page. Inline CSS and SVG only: no script, no external
// URL (fonts, images, styles), so it opens the same offline, attached to a mail or archived.
// Every user-supplied string goes through HtmlEscape.
#include <fmt/format.h>

#include "report/report_html_parts.h"
#include "report/report_item_text.h"
#include "report/report_render.h"
#include "report/report_text.h"

namespace gitmodel {
namespace {

constexpr std::string_view kStyle = R"(
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #111827;
       background: #ffffff; margin: 0; }
main { max-width: 1000px; margin: 0 auto; padding: 24px; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { border-bottom: 1px solid #e5e7eb; padding-bottom: 4px; margin-top: 1.6em; }
.period, .meta { color: #6b7280; }
.empty { color: #6b7280; font-style: italic; }
.error { color: #b91c1c; }
.breaking { color: #b91c1c; font-weight: 600; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.92em; }
table { border-collapse: collapse; margin: 8px 0 16px; }
th, td { border: 1px solid #e5e7eb; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f9fafb; }
dl.summary { display: grid; grid-template-columns: max-content auto; gap: 4px 16px; }
dl.summary dt { font-weight: 600; }
dl.summary dd { margin: 0; }
.metric { margin: 16px 0 24px; }
.metric-chart { display: block; max-width: 100%; height: auto; }
)";

std::string Head(const ReportSummary& s) {
  const std::string period = PeriodText(s);
  const std::string title = "Model report: " + s.range + (period.empty() ? "" : " (" + period + ")");
  return fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{0}</title>\n"
      "<style>{1}</style>\n</head>\n<body>\n<main>\n<h1>{0}</h1>\n",
      HtmlEscape(title), kStyle);
}

std::string SummaryHtml(const ReportSummary& s) {
  const std::string period = PeriodText(s);
  std::string commits = fmt::format("{}", s.commits);
  if (s.first_time && s.last_time) commits += fmt::format(", {} to {}", UtcDay(*s.first_time), UtcDay(*s.last_time));
  std::string out = "<dl class=\"summary\">\n";
  out += fmt::format("<dt>Range</dt><dd>{}</dd>\n", HtmlCode(s.range));
  out += fmt::format("<dt>Period</dt><dd>{}</dd>\n", period.empty() ? "every commit of the range" : period + " (UTC)");
  out += fmt::format("<dt>Commits</dt><dd>{}</dd>\n", commits);
  out += fmt::format("<dt>Authors</dt><dd>{}</dd>\n", HtmlEscape(AuthorsText(s.authors)));
  out += fmt::format("<dt>Runs</dt><dd>{}</dd>\n</dl>\n", RunsText(s));
  if (s.commits == 0) out += fmt::format("<p class=\"empty\">{}</p>\n", kSummarySection.empty_text);
  return out;
}

std::string FeatureItemHtml(const FeatureItem& i) {
  std::string out = HtmlCommitId(i.commit) + " " + HtmlEscape(i.description);
  if (!i.scope.empty()) out += " (" + HtmlEscape(i.scope) + ")";
  if (i.breaking) out += " <span class=\"breaking\">[breaking]</span>";
  return out + " <span class=\"meta\">by " + HtmlEscape(i.commit.author) + "</span>";
}

std::string FeaturesHtml(const std::vector<FeatureGroup>& groups) {
  std::string out;
  for (const FeatureGroup& g : groups) {
    out += fmt::format("<h3>{}</h3>\n<ul>\n", HtmlEscape(g.title));
    for (const FeatureItem& i : g.items) out += "<li>" + FeatureItemHtml(i) + "</li>\n";
    out += "</ul>\n";
  }
  return out;
}

std::string ArchitectureHtml(const std::vector<ArchitectureChange>& changes) {
  if (changes.empty()) return "";
  std::string out = "<ul>\n";
  for (const ArchitectureChange& a : changes) {
    out += fmt::format("<li>{} at {}\n<ul>\n", HtmlCode(a.path), HtmlCommitCited(a.commit));
    const char* item = a.error ? "<li class=\"error\">" : "<li>";
    for (const std::string& line : ArchitectureDetails(a)) out += item + HtmlEscape(line) + "</li>\n";
    out += "</ul></li>\n";
  }
  return out + "</ul>\n";
}

std::string HyperparamsHtml(const std::vector<HyperparamChange>& changes) {
  if (changes.empty()) return "";
  std::vector<std::vector<std::string>> rows;
  for (const HyperparamChange& h : changes)
    rows.push_back({HtmlCommitId(h.commit), HtmlCode(h.path), HtmlCode(ParamChangeText(h.change)),
                    HtmlEscape(h.commit.subject)});
  return HtmlTable({"Commit", "File", "Change", "Subject"}, rows);
}

std::string EnvironmentHtml(const ChangeReport& r) {
  if (r.environment.empty() && r.environment_unchanged.empty()) return "";
  std::string out;
  if (r.environment.empty()) out += fmt::format("<p>{}</p>\n", kNoEnvironmentChanges);
  if (!r.environment.empty()) out += "<ul>\n";
  for (const EnvChange& c : r.environment) {
    out += fmt::format("<li>{} changed\n<ul>\n", HtmlCode(c.field));
    for (const EnvValueSeen& v : c.values) out += "<li>" + HtmlEscape(EnvValueText(v)) + "</li>\n";
    out += "</ul></li>\n";
  }
  if (!r.environment.empty()) out += "</ul>\n";
  if (!r.environment_unchanged.empty())
    out += "<p>Unchanged: " + HtmlEscape(UnchangedEnvText(r.environment_unchanged)) + "</p>\n";
  return out;
}

std::string ChurnHtml(const std::vector<FileChurn>& churn) {
  if (churn.empty()) return "";
  std::vector<std::vector<std::string>> rows;
  for (const FileChurn& f : churn) rows.push_back({HtmlCode(f.path), fmt::format("{}", f.commits), LinesText(f)});
  return HtmlTable({"File", "Commits", "Lines"}, rows);
}

}  // namespace

std::string RenderReportHtml(const ChangeReport& r) {
  std::string out = Head(r.summary);
  out += HtmlSection(kSummarySection, SummaryHtml(r.summary));
  out += HtmlSection(kFeaturesSection, FeaturesHtml(r.features));
  out += HtmlSection(kArchitectureSection, ArchitectureHtml(r.architecture));
  out += HtmlSection(kHyperparamsSection, HyperparamsHtml(r.hyperparams));
  out += HtmlSection(kPerformanceSection, PerformanceHtml(r.performance));
  out += HtmlSection(kEnvironmentSection, EnvironmentHtml(r));
  out += HtmlSection(kChurnSection, ChurnHtml(r.churn));
  return out + "</main>\n</body>\n</html>\n";
}

}  // namespace gitmodel
