#include "report/report_render.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>

#include "report/testing/sample_report.h"

namespace gitmodel {
namespace {

using nlohmann::json;
using testing::EmptyReport;
using testing::SampleCommitId;
using testing::SampleReport;

bool Has(const std::string& text, const std::string& what) { return text.find(what) != std::string::npos; }

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// Each of `parts` appears in `text`, in this order.
void ExpectInOrder(const std::string& text, const std::vector<std::string>& parts) {
  size_t at = 0;
  for (const std::string& part : parts) {
    const size_t found = text.find(part, at);
    ASSERT_NE(found, std::string::npos) << "missing or out of order: " << part << "\n" << text;
    at = found + part.size();
  }
}

const std::vector<std::string> kEmptyLines = {
    "No commits in this period.", "No checkpoint architecture changes in this period.",
    "No hyperparameter changes in this period.", "No metrics recorded at this period's commits.",
    "No run environments recorded in this period.", "No files changed in this period."};

TEST(ReportRenderMarkdown, SectionsInOrderWithTheirNumbers) {
  const std::string md = RenderReportMarkdown(SampleReport());
  ExpectInOrder(md, {"# Model report: main\\~5..main (2026-11-13 to 2026-11-21)\n", "## Summary", "## Features",
                     "## Architecture changes", "## Hyperparameter changes", "## Performance", "## Environment",
                     "## File churn"});
  EXPECT_TRUE(Has(md, "- Commits: 5, 2026-11-16 to 2026-11-20\n")) << md;
  EXPECT_TRUE(Has(md, "- Authors: Alice (3), Bob (2)\n"));
  EXPECT_TRUE(Has(md, "- Runs: 7 (2 failed)\n"));
  EXPECT_TRUE(Has(md, "- `5555555` stream shards \\<script>alert(1)\\</script> (data) **[breaking]** by Alice\n"));
  EXPECT_TRUE(Has(md, "- `model.pt` at `3333333`: Widen the encoder (Alice, 2026-11-17)\n"));
  EXPECT_TRUE(Has(md, "  - parameters 1,234 -> 2,345 (+1,111, +90.0%)\n"));
  EXPECT_TRUE(Has(md, "  - error: truncated storage data/0\n"));
  EXPECT_TRUE(Has(md, "| `2222222` | `config.yaml` | `lr: 0.01 -> 0.001` | fix: clip grads |\n"));
  EXPECT_TRUE(Has(md, "| `4444444` | `config.yaml` | `sched: cos\\|lin -> step` | tune lr |\n"));
  EXPECT_TRUE(Has(md, "| `val_loss` | 0.9 -> 0.55 (-0.35, -38.9%) | 0.5 at `4444444` | lower is better | 5 |\n")) << md;
  EXPECT_TRUE(Has(md, "- `3333333`  0.9 -> 0.6 (-0.3)  Widen the encoder\n"));
  EXPECT_TRUE(Has(md, "  - 2.4.0 (first run run-5 at 4444444, 3 runs)\n"));
  EXPECT_TRUE(Has(md, "Unchanged: python 3.11.9, cuda 12.1\n"));
  EXPECT_TRUE(Has(md, "| `model/__init__.py` | 1 | +5 -0 |\n"));
  for (const std::string& line : kEmptyLines) EXPECT_FALSE(Has(md, line)) << line;
}

TEST(ReportRenderMarkdown, EmptySectionsSaySo) {
  const std::string md = RenderReportMarkdown(EmptyReport());
  EXPECT_TRUE(Has(md, "# Model report: HEAD\n"));
  for (const std::string& line : kEmptyLines) EXPECT_TRUE(Has(md, line + "\n")) << line << "\n" << md;
  EXPECT_EQ(Count(md, "## "), 7u);
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

TEST(ReportRenderHtml, SelfContainedPageWithSectionsInOrder) {
  const std::string html = RenderReportHtml(SampleReport());
  EXPECT_EQ(html.rfind("<!DOCTYPE html>\n", 0), 0u);
  EXPECT_TRUE(Has(html, "<meta charset=\"utf-8\">"));
  EXPECT_TRUE(Has(html, "<title>Model report: main~5..main (2026-11-13 to 2026-11-21)</title>"));
  ExpectInOrder(html, {"<style>", "</style>", "id=\"summary\"", "id=\"features\"", "id=\"architecture\"",
                       "id=\"hyperparams\"", "id=\"performance\"", "id=\"environment\"", "id=\"churn\"", "</html>"});
  const std::string lower = Lower(html);
  for (const char* banned : {"http", "<script", "//", "url(", "@import", "src=", "href=", "<link", "<img"})
    EXPECT_FALSE(Has(lower, banned)) << banned;
  EXPECT_TRUE(Has(html, "stream shards &lt;script&gt;alert(1)&lt;/script&gt;"));
}

TEST(ReportRenderHtml, NumbersChartsAndTables) {
  const std::string html = RenderReportHtml(SampleReport());
  EXPECT_TRUE(Has(html, "<dt>Commits</dt><dd>5, 2026-11-16 to 2026-11-20</dd>"));
  EXPECT_TRUE(Has(html, "<dt>Runs</dt><dd>7 (2 failed)</dd>"));
  EXPECT_TRUE(Has(html, "<li>parameters 1,234 -&gt; 2,345 (+1,111, +90.0%)</li>"));
  EXPECT_TRUE(Has(html, "<li class=\"error\">error: truncated storage data/0</li>"));
  EXPECT_TRUE(Has(html, "<code>sched: cos|lin -&gt; step</code>"));
  EXPECT_EQ(Count(html, "<svg class=\"metric-chart\""), 2u);
  EXPECT_TRUE(Has(html, "data-metric=\"val_loss\""));
  EXPECT_TRUE(Has(html, "data-metric=\"accuracy\""));
  EXPECT_EQ(Count(html, "<circle"), 5u);  // accuracy 1, val_loss 4 of 5 (one NaN)
  EXPECT_TRUE(Has(html, "<td>NaN</td>"));  // the NaN shows in the values table
  EXPECT_TRUE(Has(html, "<td>2.4.0 (first run run-5 at 4444444, 3 runs)</td>") ||
              Has(html, "<li>2.4.0 (first run run-5 at 4444444, 3 runs)</li>"));
  EXPECT_TRUE(Has(html, "<td><code>model/__init__.py</code></td><td>1</td><td>+5 -0</td>"));
}

TEST(ReportRenderHtml, EscapesEveryUserString) {
  ChangeReport r = SampleReport();
  const std::string evil = "<script>x</script>\"'&";
  r.summary.range = evil;
  r.summary.authors[0].name = evil;
  r.features[1].title = evil;
  r.architecture[0].path = evil;
  r.hyperparams[0].path = evil;
  r.hyperparams[0].change.key = evil;
  r.performance[0].key = evil;
  r.environment[0].field = evil;
  r.environment[0].values[0].value = evil;
  r.environment_unchanged[0].value = evil;
  r.churn[0].path = evil;
  const std::string html = RenderReportHtml(r);
  EXPECT_FALSE(Has(Lower(html), "<script"));
  EXPECT_FALSE(Has(html, "\"'&<"));
  EXPECT_GE(Count(html, "&lt;script&gt;x&lt;/script&gt;&quot;&#39;&amp;"), 11u);
}

TEST(ReportRenderHtml, EmptySectionsSaySo) {
  const std::string html = RenderReportHtml(EmptyReport());
  for (const std::string& line : kEmptyLines) EXPECT_TRUE(Has(html, line)) << line;
  EXPECT_EQ(Count(html, "<section id="), 7u);
  EXPECT_FALSE(Has(html, "<svg"));
}

TEST(ReportRenderJson, KeyFieldsRoundTrip) {
  const json j = json::parse(ReportToJson(SampleReport()).dump());
  EXPECT_EQ(j["schema"], "git-model/report/v1");
  EXPECT_EQ(j["summary"]["range"], "main~5..main");
  EXPECT_EQ(j["summary"]["since"], "2026-11-13T00:00:00Z");
  EXPECT_EQ(j["summary"]["last"], "2026-11-20T09:00:00Z");
  EXPECT_EQ(j["summary"]["commits"], 5);
  EXPECT_EQ(j["summary"]["failed_runs"], 2);
  EXPECT_EQ(j["summary"]["authors"][1], json({{"name", "Bob"}, {"email", "bob@example.org"}, {"commits", 2}}));
  const json& item = j["features"][0]["items"][0];
  EXPECT_EQ(item["commit"]["date"], "2026-11-20T10:00:00+01:00");
  EXPECT_EQ(item["commit"]["short"], "5555555");
  EXPECT_EQ(item["commit"]["id"], SampleCommitId(5));
  EXPECT_EQ(item["breaking"], true);
  EXPECT_EQ(item["scope"], "data");
  EXPECT_EQ(j["architecture"][0]["parameters"], json({{"before", 1234}, {"after", 2345}}));
  EXPECT_TRUE(j["architecture"][0]["error"].is_null());
  EXPECT_EQ(j["architecture"][1]["error"], "truncated storage data/0");
}

TEST(ReportRenderJson, ParamsMetricsEnvironmentChurn) {
  const json j = json::parse(ReportToJson(SampleReport()).dump());
  EXPECT_EQ(j["hyperparams"][0]["kind"], "changed");
  EXPECT_EQ(j["hyperparams"][0]["old"], 0.01);
  EXPECT_EQ(j["hyperparams"][1]["kind"], "added");
  EXPECT_FALSE(j["hyperparams"][1].contains("old"));
  EXPECT_EQ(j["hyperparams"][1]["new"], 100);
  EXPECT_FALSE(j["hyperparams"][2].contains("new"));
  const json& loss = j["performance"][1];
  EXPECT_EQ(loss["key"], "val_loss");
  EXPECT_EQ(loss["higher_is_better"], false);
  EXPECT_EQ(loss["points"].size(), 5u);
  EXPECT_EQ(loss["points"][1]["value"], "NaN");
  EXPECT_EQ(loss["best"]["value"], 0.5);
  EXPECT_EQ(loss["best"]["commit"]["short"], "4444444");
  EXPECT_NEAR(loss["biggest_moves"][0]["delta"].get<double>(), -0.3, 1e-12);
  EXPECT_EQ(loss["biggest_moves"][0]["previous"], SampleCommitId(1));
  EXPECT_EQ(j["environment"]["changed"][0]["values"][1]["first_run"], "run-5");
  EXPECT_EQ(j["environment"]["unchanged"][1], json({{"field", "cuda"}, {"value", "12.1"}}));
  EXPECT_EQ(j["churn"][0], json({{"path", "train.py"}, {"commits", 3}, {"added_lines", 120}, {"deleted_lines", 30}}));
}

TEST(ReportRenderJson, EmptyReportHasEverySection) {
  const json j = ReportToJson(EmptyReport());
  for (const char* key : {"features", "architecture", "hyperparams", "performance", "churn"})
    EXPECT_EQ(j[key], json::array()) << key;
  EXPECT_EQ(j["environment"], json({{"changed", json::array()}, {"unchanged", json::array()}}));
  EXPECT_TRUE(j["summary"]["since"].is_null());
  EXPECT_TRUE(j["summary"]["first"].is_null());
}

TEST(ReportRenderJson, NonFiniteValuesAsStrings) {
  ChangeReport r = SampleReport();
  r.performance[0].points[0].value = INFINITY;
  r.performance[0].best.value = -INFINITY;
  const json j = ReportToJson(r);
  EXPECT_EQ(j["performance"][0]["points"][0]["value"], "Infinity");
  EXPECT_EQ(j["performance"][0]["best"]["value"], "-Infinity");
}

}  // namespace
}  // namespace gitmodel
