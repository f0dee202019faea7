// The Performance section of the HTML report: one overview table, then a block per metric.
#include <fmt/format.h>

#include "report/report_html_parts.h"
#include "report/report_item_text.h"
#include "report/report_svg.h"
#include "report/report_text.h"

namespace gitmodel {
namespace {

std::string OverviewTable(const std::vector<MetricTrend>& trends) {
  std::vector<std::vector<std::string>> rows;
  for (const MetricTrend& t : trends)
    rows.push_back({HtmlCode(t.key), HtmlEscape(ValueChangeText(t.first.value, t.last.value)),
                    fmt::format("{} at {}", NumberText(t.best.value), HtmlCommitId(t.best.commit)),
                    std::string(DirectionText(t.higher_is_better)), fmt::format("{}", t.points.size())});
  return HtmlTable({"Metric", "First &rarr; last", "Best", "Direction", "Commits"}, rows);
}

std::string MovesTable(const MetricTrend& t) {
  if (t.biggest_moves.empty()) return "<p class=\"empty\">No moves between commits with values.</p>\n";
  std::vector<std::vector<std::string>> rows;
  for (const MetricMove& m : t.biggest_moves)
    rows.push_back({HtmlCommitId(m.commit), HtmlEscape(MoveValuesText(m)), HtmlEscape(m.commit.subject)});
  return "<h4>Biggest moves</h4>\n" + HtmlTable({"Commit", "From &rarr; to (delta)", "Subject"}, rows);
}

// Every value, non-finite ones included (the chart leaves those out), folded away.
std::string ValuesTable(const MetricTrend& t) {
  std::vector<std::vector<std::string>> rows;
  for (const MetricAtCommit& p : t.points)
    rows.push_back(
        {HtmlCommitId(p.commit), NumberText(p.value), fmt::format("{}", p.runs), HtmlEscape(p.commit.subject)});
  return "<details><summary>Values per commit</summary>\n" + HtmlTable({"Commit", "Value", "Runs", "Subject"}, rows) +
         "</details>\n";
}

std::string MetricBlock(const MetricTrend& t) {
  std::string out = fmt::format("<div class=\"metric\">\n<h3>{}</h3>\n", HtmlCode(t.key));
  out += fmt::format("<p>{} &middot; best {} at {} &middot; {} &middot; {} commit{} with values</p>\n",
                     HtmlEscape(ValueChangeText(t.first.value, t.last.value)), NumberText(t.best.value),
                     HtmlCommitId(t.best.commit), DirectionText(t.higher_is_better), t.points.size(),
                     t.points.size() == 1 ? "" : "s");
  if (!t.points.empty()) out += MetricChartSvg(t) + "\n";
  return out + MovesTable(t) + ValuesTable(t) + "</div>\n";
}

}  // namespace

std::string PerformanceHtml(const std::vector<MetricTrend>& trends) {
  if (trends.empty()) return "";
  std::string out = OverviewTable(trends);
  for (const MetricTrend& t : trends) out += MetricBlock(t);
  return out;
}

}  // namespace gitmodel
