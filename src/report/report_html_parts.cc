#include "report/report_html_parts.h"

#include <fmt/format.h>

#include "report/report_text.h"

namespace gitmodel {

std::string HtmlSection(const ReportSection& section, const std::string& html) {
  const std::string body = html.empty() ? fmt::format("<p class=\"empty\">{}</p>\n", section.empty_text) : html;
  return fmt::format("<section id=\"{}\">\n<h2>{}</h2>\n{}</section>\n", section.id, section.title, body);
}

std::string HtmlTable(const std::vector<std::string>& headers, const std::vector<std::vector<std::string>>& rows) {
  std::string out = "<table>\n<thead><tr>";
  for (const std::string& h : headers) out += "<th>" + h + "</th>";
  out += "</tr></thead>\n<tbody>\n";
  for (const std::vector<std::string>& row : rows) {
    out += "<tr>";
    for (const std::string& cell : row) out += "<td>" + cell + "</td>";
    out += "</tr>\n";
  }
  return out + "</tbody>\n</table>\n";
}

std::string HtmlCommitId(const ReportCommit& commit) {
  return fmt::format("<code title=\"{}\">{}</code>", HtmlEscape(commit.id), HtmlEscape(ShortId(commit.id)));
}

std::string HtmlCommitCited(const ReportCommit& c) {
  return fmt::format("{}: {} <span class=\"meta\">({}, {})</span>", HtmlCommitId(c), HtmlEscape(c.subject),
                     HtmlEscape(c.author), CommitDay(c));
}

std::string HtmlCode(const std::string& text) { return "<code>" + HtmlEscape(text) + "</code>"; }

}  // namespace gitmodel
