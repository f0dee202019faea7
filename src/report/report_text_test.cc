#include "report/report_text.h"

#include <gtest/gtest.h>

#include <cmath>

#include <fmt/format.h>

#include "report/markdown_text.h"
#include "report/report_item_text.h"

namespace gitmodel {
namespace {

TEST(ReportRenderText, DatesInTheAuthorsZoneAndUtc) {
  const ReportCommit plus_one{"abcdef0123", "A", 1795165200, 60, "s"};
  EXPECT_EQ(CommitRfc3339(plus_one), "2026-11-20T10:00:00+01:00");
  EXPECT_EQ(CommitDay(plus_one), "2026-11-20");
  const ReportCommit minus_ten{"abcdef0123", "A", 1795165200, -600, "s"};
  EXPECT_EQ(CommitRfc3339(minus_ten), "2026-11-19T23:00:00-10:00");
  EXPECT_EQ(CommitDay(minus_ten), "2026-11-19");
  EXPECT_EQ(UtcRfc3339(1795165200), "2026-11-20T09:00:00Z");
  EXPECT_EQ(UtcDay(1795165200), "2026-11-20");
}

TEST(ReportRenderText, ForgedTimesDoNotBreakTheText) {
  const ReportCommit forged{"abc", "A", INT64_MAX, 600, "s"};
  EXPECT_FALSE(CommitRfc3339(forged).empty());
  EXPECT_EQ(UtcDay(INT64_MAX), "@9223372036854775807");
  EXPECT_EQ(ShortId("abc"), "abc");
  EXPECT_EQ(ShortId("0123456789abcdef"), "0123456");
}

TEST(ReportRenderText, PeriodFromTheBoundsGiven) {
  ReportSummary s;
  EXPECT_EQ(PeriodText(s), "");
  s.since = 1794528000;
  EXPECT_EQ(PeriodText(s), "since 2026-11-13");
  s.until = 1795219200;
  EXPECT_EQ(PeriodText(s), "2026-11-13 to 2026-11-21");
  s.since.reset();
  EXPECT_EQ(PeriodText(s), "until 2026-11-21");
}

TEST(ReportRenderText, Numbers) {
  EXPECT_EQ(NumberText(0.123456789), "0.123457");
  EXPECT_EQ(NumberText(1234567.0), "1.23457e+06");
  EXPECT_EQ(NumberText(NAN), "NaN");
  EXPECT_EQ(NumberText(-INFINITY), "-inf");
  EXPECT_EQ(CountText(0), "0");
  EXPECT_EQ(CountText(999), "999");
  EXPECT_EQ(CountText(1234567), "1,234,567");
  EXPECT_EQ(ValueChangeText(0.9, 0.5), "0.9 -> 0.5 (-0.4, -44.4%)");
  EXPECT_EQ(ValueChangeText(0, 2), "0 -> 2 (+2)");
  EXPECT_EQ(ValueChangeText(NAN, 2), "NaN -> 2");
  EXPECT_EQ(ValueChangeText(1, INFINITY), "1 -> inf");
}

TEST(ReportRenderText, Parameters) {
  EXPECT_EQ(ParametersText(1234, 2345), "1,234 -> 2,345 (+1,111, +90.0%)");
  EXPECT_EQ(ParametersText(2000, 1000), "2,000 -> 1,000 (-1,000, -50.0%)");
  EXPECT_EQ(ParametersText(0, 1000), "0 -> 1,000 (+1,000)");
  EXPECT_EQ(ParametersText(7, 7), "7 -> 7 (no change)");
  EXPECT_EQ(ParametersText(0, UINT64_MAX), "0 -> 18,446,744,073,709,551,615 (+18,446,744,073,709,551,615)");
}

TEST(ReportRenderText, LongNameListsAreCut) {
  ArchitectureChange a;
  a.path = "m.pt";
  for (int i = 0; i < 25; ++i) a.modules_added.push_back(fmt::format("m{}", i));
  const auto lines = ArchitectureDetails(a);
  ASSERT_GE(lines.size(), 2u);
  EXPECT_EQ(lines[0], "new checkpoint");
  EXPECT_NE(lines[1].find("modules added (25): m0, m1"), std::string::npos);
  EXPECT_NE(lines[1].find("m19 ... and 5 more"), std::string::npos);
  EXPECT_EQ(lines[1].find("m20"), std::string::npos);
}

TEST(ReportRenderText, HtmlEscapesEveryMarkupCharacter) {
  EXPECT_EQ(HtmlEscape(R"(<a href="x">'&'</a>)"), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
}

TEST(ReportRenderText, MarkdownEscapes) {
  EXPECT_EQ(MarkdownText("__init__ *x* <b>"), "\\_\\_init\\_\\_ \\*x\\* \\<b>");
  EXPECT_EQ(MarkdownText("two\nlines"), "two lines");
  EXPECT_EQ(MarkdownCode("a.py"), "`a.py`");
  EXPECT_EQ(MarkdownCode("a`b"), "``a`b``");
  EXPECT_EQ(MarkdownCode("`x"), "`` `x ``");
  EXPECT_EQ(MarkdownRow({"a|b", "`c|d`"}), "| a\\|b | `c\\|d` |\n");
  EXPECT_EQ(MarkdownTableHeader({"A", "B"}), "| A | B |\n|---|---|\n");
}

}  // namespace
}  // namespace gitmodel
