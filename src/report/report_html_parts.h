// Building blocks of the HTML change report (report_html.cc, report_html_performance.cc).
// Arguments named `html` are markup the caller already escaped; everything else is plain text
// these functions escape.
#pragma once

#include <string>
#include <vector>

#include "report/change_report.h"
#include "report/report_sections.h"

namespace gitmodel {

// `<section id="ID"><h2>TITLE</h2>BODY</section>`; the section's one-line message when `html`
// is empty.
std::string HtmlSection(const ReportSection& section, const std::string& html);
// A table with a header row; cells are markup.
std::string HtmlTable(const std::vector<std::string>& headers, const std::vector<std::vector<std::string>>& rows);
// `<code title="FULL ID">abc1234</code>`.
std::string HtmlCommitId(const ReportCommit& commit);
// The short id, then "subject (author, 2026-11-20)".
std::string HtmlCommitCited(const ReportCommit& commit);
// `<code>TEXT</code>`, escaped.
std::string HtmlCode(const std::string& text);

// The Performance section's body: a table of every metric, then per metric its chart, its
// biggest moves and its values per commit. Empty without metrics.
std::string PerformanceHtml(const std::vector<MetricTrend>& trends);

}  // namespace gitmodel
