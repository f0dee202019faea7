#include "report/report_svg.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <regex>

#include "report/testing/sample_report.h"

namespace gitmodel {
namespace {

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

// Every number in a coordinate attribute parses and is finite.
void ExpectFiniteCoordinates(const std::string& svg) {
  const std::regex attr(R"#((cx|cy|x|y|points)="([^"]*)")#");
  size_t seen = 0;
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), attr); it != std::sregex_iterator(); ++it, ++seen) {
    const std::string value = (*it)[2];
    EXPECT_EQ(value.find_first_not_of("0123456789., -"), std::string::npos) << (*it)[0];
  }
  EXPECT_GT(seen, 0u);
  EXPECT_EQ(Lower(svg).find("nan"), std::string::npos) << svg;
  EXPECT_EQ(Lower(svg).find("inf"), std::string::npos) << svg;
}

MetricTrend Trend(std::vector<double> values, size_t best) {
  MetricTrend t;
  t.key = "loss";
  t.higher_is_better = false;
  for (size_t i = 0; i < values.size(); ++i)
    t.points.push_back({{testing::SampleCommitId(static_cast<int>(i + 1)), "A", 0, 0, "s"}, values[i], 1});
  t.first = t.points.front();
  t.last = t.points.back();
  t.best = t.points[best];
  return t;
}

TEST(ReportRenderSvg, OneCirclePerFinitePointAndTheBestHighlighted) {
  const MetricTrend loss = testing::SampleReport().performance[1];
  const std::string svg = MetricChartSvg(loss);
  EXPECT_EQ(svg.rfind("<svg class=\"metric-chart\" data-metric=\"val_loss\"", 0), 0u) << svg;
  EXPECT_EQ(Count(svg, "<circle"), 4u);  // five points, one NaN
  EXPECT_EQ(Count(svg, "class=\"point best\""), 1u);
  EXPECT_NE(svg.find("<title>4444444 tune lr: 0.5</title>"), std::string::npos) << svg;
  EXPECT_EQ(Count(svg, "<polyline"), 1u);
  EXPECT_NE(svg.find(">0.9</text>"), std::string::npos);  // max label
  EXPECT_NE(svg.find(">0.5</text>"), std::string::npos);  // min label
  ExpectFiniteCoordinates(svg);
}

TEST(ReportRenderSvg, BestIsLowestPointForLowerIsBetter) {
  const std::string svg = MetricChartSvg(testing::SampleReport().performance[1]);
  // The best circle (0.5, the minimum) sits on the plot's bottom edge, below every other circle.
  const std::regex best(R"#(class="point best" cx="[0-9.]+" cy="([0-9.]+)")#");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(svg, m, best)) << svg;
  const std::regex any(R"#(class="point" cx="[0-9.]+" cy="([0-9.]+)")#");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), any); it != std::sregex_iterator(); ++it)
    EXPECT_LT(std::stod((*it)[1]), std::stod(m[1]));
}

TEST(ReportRenderSvg, EscapesUserText) {
  MetricTrend t = Trend({1, 2}, 1);
  t.key = "a\"<b>";
  t.points[0].commit.subject = "<script>alert(1)</script>";
  const std::string svg = MetricChartSvg(t);
  EXPECT_NE(svg.find("data-metric=\"a&quot;&lt;b&gt;\""), std::string::npos) << svg;
  EXPECT_EQ(svg.find("<script"), std::string::npos);
  EXPECT_NE(svg.find("&lt;script&gt;alert(1)&lt;/script&gt;: 1</title>"), std::string::npos);
}

TEST(ReportRenderSvg, SinglePointAllEqualAndExtremeValues) {
  for (const auto& values : std::vector<std::vector<double>>{{3}, {2, 2, 2}, {-1e308, 1e308, 0}, {5e-324, 0}}) {
    const std::string svg = MetricChartSvg(Trend(values, 0));
    EXPECT_EQ(Count(svg, "<circle"), values.size()) << svg;
    EXPECT_EQ(Count(svg, "<polyline"), values.size() > 1 ? 1u : 0u);
    ExpectFiniteCoordinates(svg);
  }
}

TEST(ReportRenderSvg, NoFiniteValues) {
  const std::string svg = MetricChartSvg(Trend({NAN, INFINITY, -INFINITY}, 0));
  EXPECT_EQ(Count(svg, "<circle"), 0u);
  EXPECT_NE(svg.find("no finite values"), std::string::npos);
  EXPECT_EQ(svg.find("NaN"), std::string::npos);
  EXPECT_EQ(svg.find("nan"), std::string::npos);
}

}  // namespace
}  // namespace gitmodel
