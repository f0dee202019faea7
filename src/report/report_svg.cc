#include "report/report_svg.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include <fmt/format.h>

#include "report/report_text.h"

namespace gitmodel {
namespace {

constexpr double kWidth = 640, kHeight = 220;
constexpr double kLeft = 84, kRight = kWidth - 24, kTop = 16, kBottom = kHeight - 36;
constexpr std::string_view kLineColor = "#2563eb", kBestColor = "#dc2626", kAxisColor = "#6b7280";

struct Range {
  double lo = 0, hi = 0;
};

// The finite values' bounds; nullopt when no value is finite.
std::optional<Range> FiniteRange(const std::vector<MetricAtCommit>& points) {
  std::optional<Range> range;
  for (const MetricAtCommit& p : points) {
    if (!std::isfinite(p.value)) continue;
    if (!range) range = Range{p.value, p.value};
    range->lo = std::min(range->lo, p.value);
    range->hi = std::max(range->hi, p.value);
  }
  return range;
}

double XOf(size_t index, size_t count) {
  if (count < 2) return (kLeft + kRight) / 2;
  return kLeft + (kRight - kLeft) * static_cast<double>(index) / static_cast<double>(count - 1);
}

// hi - lo overflows only for values near the largest double: then both are halved first.
double YOf(double value, const Range& r) {
  if (r.hi == r.lo) return (kTop + kBottom) / 2;
  const double span = r.hi - r.lo;
  double t = std::isfinite(span) ? (value - r.lo) / span : (value / 2 - r.lo / 2) / (r.hi / 2 - r.lo / 2);
  if (!std::isfinite(t)) t = 0.5;
  return kBottom - std::clamp(t, 0.0, 1.0) * (kBottom - kTop);
}

std::string Text(double x, double y, std::string_view anchor, std::string_view text) {
  return fmt::format(R"(<text x="{:.1f}" y="{:.1f}" text-anchor="{}" font-size="12" fill="{}">{}</text>)", x, y,
                     anchor, kAxisColor, HtmlEscape(text));
}

std::string YLabels(const Range& r) {
  if (r.hi == r.lo) return Text(kLeft - 8, (kTop + kBottom) / 2 + 4, "end", NumberText(r.lo));
  return Text(kLeft - 8, kTop + 4, "end", NumberText(r.hi)) + Text(kLeft - 8, kBottom + 4, "end", NumberText(r.lo));
}

// The first and last commits' short ids under the x axis.
std::string XLabels(const MetricTrend& t) {
  if (t.points.size() < 2) return Text((kLeft + kRight) / 2, kBottom + 20, "middle", ShortId(t.points[0].commit.id));
  return Text(kLeft, kBottom + 20, "start", ShortId(t.points.front().commit.id)) +
         Text(kRight, kBottom + 20, "end", ShortId(t.points.back().commit.id));
}

std::string Axes(const MetricTrend& t, const Range& r) {
  const std::string axes = fmt::format(R"(<path d="M{0} {1}V{2}H{3}" fill="none" stroke="{4}" stroke-width="1"/>)",
                                       kLeft, kTop, kBottom, kRight, kAxisColor);
  return axes + YLabels(r) + XLabels(t);
}

std::string Polyline(const MetricTrend& t, const Range& r) {
  std::string points;
  size_t finite = 0;
  for (size_t i = 0; i < t.points.size(); ++i) {
    if (!std::isfinite(t.points[i].value)) continue;
    points += fmt::format("{}{:.1f},{:.1f}", finite++ ? " " : "", XOf(i, t.points.size()), YOf(t.points[i].value, r));
  }
  if (finite < 2) return "";
  return fmt::format(R"(<polyline points="{}" fill="none" stroke="{}" stroke-width="2"/>)", points, kLineColor);
}

std::string Circle(const MetricTrend& t, size_t i, const Range& r, bool best) {
  const MetricAtCommit& p = t.points[i];
  const std::string tip = fmt::format("{} {}: {}", ShortId(p.commit.id), p.commit.subject, NumberText(p.value));
  return fmt::format(R"(<circle class="{}" cx="{:.1f}" cy="{:.1f}" r="{}" fill="{}"><title>{}</title></circle>)",
                     best ? "point best" : "point", XOf(i, t.points.size()), YOf(p.value, r), best ? 6 : 4,
                     best ? kBestColor : kLineColor, HtmlEscape(tip));
}

std::string Circles(const MetricTrend& t, const Range& r) {
  std::string out;
  bool best_drawn = false;
  for (size_t i = 0; i < t.points.size(); ++i) {
    if (!std::isfinite(t.points[i].value)) continue;
    const bool best = !best_drawn && t.points[i].commit.id == t.best.commit.id;
    best_drawn = best_drawn || best;
    out += Circle(t, i, r, best);
  }
  return out;
}

}  // namespace

std::string MetricChartSvg(const MetricTrend& t) {
  std::string out = fmt::format(
      R"(<svg class="metric-chart" data-metric="{0}" width="{1}" height="{2}" viewBox="0 0 {1} {2}" role="img" )"
      R"(aria-label="{0} per commit">)",
      HtmlEscape(t.key), kWidth, kHeight);
  const std::optional<Range> range = FiniteRange(t.points);
  if (!range) return out + Text(kWidth / 2, kHeight / 2, "middle", "no finite values") + "</svg>";
  return out + Axes(t, *range) + Polyline(t, *range) + Circles(t, *range) + "</svg>";
}

}  // namespace gitmodel
