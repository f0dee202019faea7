// The inline SVG line chart of one metric across a report's commits (report_html.cc).
#pragma once

#include <string>

#include "report/change_report.h"

namespace gitmodel {

// `<svg class="metric-chart" data-metric="KEY" ...>`: x is the commits in order (oldest left),
// y the value between the finite minimum and maximum (labelled). One circle per finite point with
// a `<title>` "abc1234 subject: value", the best point larger and red, a polyline through the
// points. Non-finite values are left out; a chart without finite values says so. Every
// coordinate is finite, whatever the values (one point, all equal, +-1e308). Styled by
// attributes, so it needs no stylesheet; every user string is HTML-escaped.
std::string MetricChartSvg(const MetricTrend& trend);

}  // namespace gitmodel
