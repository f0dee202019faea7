// The change report (change_report.h) as text: Markdown for a weekly review, one self-contained
// HTML file (inline CSS and SVG charts, no script or network fetch), and JSON whose schema
// docs/report.md documents. Pure functions: no I/O.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "report/change_report.h"

namespace gitmodel {

std::string RenderReportMarkdown(const ChangeReport& report);
std::string RenderReportHtml(const ChangeReport& report);
nlohmann::json ReportToJson(const ChangeReport& report);

}  // namespace gitmodel
