#include "runs/metrics_line.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include <fmt/core.h>

namespace gitmodel {
namespace {

MetricsLineResult Parse(std::string_view line) { return ParseMetricsLine(line, 7); }

// The only point of `line`, which must parse without warnings.
MetricPoint OnlyPoint(std::string_view line) {
  MetricsLineResult r = Parse(line);
  EXPECT_TRUE(r.warnings.empty()) << r.warnings.front();
  EXPECT_EQ(r.points.size(), 1u) << line;
  return r.points.empty() ? MetricPoint{} : r.points.front();
}

std::string OnlyWarning(std::string_view line) {
  MetricsLineResult r = Parse(line);
  EXPECT_EQ(r.warnings.size(), 1u) << line;
  return r.warnings.empty() ? "" : r.warnings.front();
}

TEST(MetricsLine, ReadsMetricsWithStepAndTime) {
  MetricsLineResult r = Parse(R"({"step": 120, "loss": 0.4132, "lr": 3e-4, "time": 1732871437.52})");
  EXPECT_TRUE(r.warnings.empty());
  ASSERT_EQ(r.points.size(), 2u);
  EXPECT_EQ(r.points[0].key, "loss");
  EXPECT_DOUBLE_EQ(r.points[0].value, 0.4132);
  EXPECT_EQ(r.points[1].key, "lr");
  EXPECT_DOUBLE_EQ(r.points[1].value, 3e-4);
  for (const MetricPoint& p : r.points) {
    EXPECT_EQ(p.step, 120);
    EXPECT_EQ(p.time, 1732871437.52);
    EXPECT_EQ(p.line, 7u);
  }
}

TEST(MetricsLine, StepAndTimeAreOptional) {
  MetricPoint p = OnlyPoint(R"({"acc": 1})");
  EXPECT_EQ(p.value, 1.0);
  EXPECT_FALSE(p.step);
  EXPECT_FALSE(p.time);
  EXPECT_TRUE(Parse(R"({"step": 3, "time": 5})").points.empty());
  EXPECT_TRUE(Parse(R"({"step": 3, "time": 5})").warnings.empty());
  EXPECT_TRUE(Parse("{}").warnings.empty());
}

TEST(MetricsLine, IntegersAndHugeNumbersAreDoubles) {
  EXPECT_EQ(OnlyPoint(R"({"n": 18446744073709551615})").value, 18446744073709551615.0);
  EXPECT_EQ(OnlyPoint(R"({"n": -9223372036854775808})").value, -9223372036854775808.0);
  // Out of a double's range: as Python's json.loads.
  EXPECT_EQ(OnlyPoint(R"({"n": 1e400})").value, INFINITY);
  EXPECT_EQ(OnlyPoint(R"({"n": -2.5E+400})").value, -INFINITY);
  EXPECT_EQ(OnlyWarning(R"({"m": [1, 1e400]})"), "line 7: metric \"m\" is an array, not a number; skipped");
  EXPECT_EQ(OnlyPoint("{\"n\": 1" + std::string(400, '0') + "}").value, INFINITY);
  EXPECT_EQ(OnlyPoint("{\"n\": 1" + std::string(500, '0') + "e-100}").value, INFINITY);
  EXPECT_EQ(OnlyPoint(R"({"n": 1e-400})").value, 0.0);
  EXPECT_EQ(OnlyPoint(R"({"n": -0.0001e-400})").value, 0.0);
  EXPECT_EQ(OnlyPoint(R"({"n": 4e-320})").value, 4e-320);
  EXPECT_EQ(OnlyWarning(R"({"n": 01e400})").find("line 7: not a JSON object"), 0u);
  EXPECT_EQ(OnlyWarning(R"({"n": 1.e400})").find("line 7: not a JSON object"), 0u);
  EXPECT_EQ(OnlyWarning(R"({"n": 1e400.5})").find("line 7: not a JSON object"), 0u);
  EXPECT_EQ(OnlyPoint(R"({"n": -0.0})").value, 0.0);
}

TEST(MetricsLine, StepMustBeAnIntegerInRange) {
  EXPECT_EQ(OnlyPoint(R"({"step": 0, "x": 1})").step, 0);
  EXPECT_EQ(OnlyPoint(R"({"step": 3.0, "x": 1})").step, 3);
  EXPECT_EQ(OnlyPoint(R"({"step": 9007199254740992, "x": 1})").step, int64_t{1} << 53);
  EXPECT_EQ(OnlyPoint(R"({"step": 9007199254740992.0, "x": 1})").step, int64_t{1} << 53);
  for (std::string_view bad : {"-1", "3.5", "9007199254740993", "1e300", "\"3\"", "true", "null", "[1]", "NaN",
                               "-Infinity", "-0.5", "18446744073709551615"}) {
    std::string line = fmt::format(R"({{"step": {}, "x": 1}})", bad);
    MetricsLineResult r = Parse(line);
    ASSERT_EQ(r.points.size(), 1u) << line;
    EXPECT_FALSE(r.points[0].step) << line;
    ASSERT_EQ(r.warnings.size(), 1u) << line;
    EXPECT_EQ(r.warnings[0].find("line 7: \"step\" must be an integer from 0 to 2^53, not "), 0u) << r.warnings[0];
  }
  EXPECT_EQ(OnlyWarning(R"({"step": -1})"),
            "line 7: \"step\" must be an integer from 0 to 2^53, not -1; the line's metrics have no step");
}

TEST(MetricsLine, TimeMustBeFinite) {
  EXPECT_EQ(OnlyPoint(R"({"time": 17, "x": 1})").time, 17.0);
  for (std::string_view bad : {"\"now\"", "NaN", "Infinity", "\"NaN\"", "null", "1e400", "-1e999"}) {
    std::string line = fmt::format(R"({{"time": {}, "x": 1}})", bad);
    MetricsLineResult r = Parse(line);
    ASSERT_EQ(r.points.size(), 1u) << line;
    EXPECT_FALSE(r.points[0].time) << line;
    ASSERT_EQ(r.warnings.size(), 1u) << line;
    EXPECT_NE(r.warnings[0].find("\"time\" must be a finite number of unix seconds"), std::string::npos);
  }
}

TEST(MetricsLine, NonFiniteValuesAsStringsOrBarewords) {
  EXPECT_TRUE(std::isnan(OnlyPoint(R"({"x": "NaN"})").value));
  EXPECT_EQ(OnlyPoint(R"({"x": "Infinity"})").value, INFINITY);
  EXPECT_EQ(OnlyPoint(R"({"x": "-Infinity"})").value, -INFINITY);
  EXPECT_TRUE(std::isnan(OnlyPoint(R"({"x": NaN})").value));
  EXPECT_EQ(OnlyPoint(R"({"x":Infinity})").value, INFINITY);
  EXPECT_EQ(OnlyPoint(R"({"x" :  -Infinity })").value, -INFINITY);
  // Python's json.dumps({"step": 1, "a": float("nan"), "b": float("-inf"), "c": 2.5})
  MetricsLineResult r = Parse(R"({"step": 1, "a": NaN, "b": -Infinity, "c": 2.5})");
  EXPECT_TRUE(r.warnings.empty());
  ASSERT_EQ(r.points.size(), 3u);
  EXPECT_TRUE(std::isnan(r.points[0].value));
  EXPECT_EQ(r.points[1].value, -INFINITY);
  EXPECT_EQ(r.points[2].value, 2.5);
}

TEST(MetricsLine, BarewordsInsideStringsAndKeysStayText) {
  // Inside a string value: not a number.
  EXPECT_EQ(OnlyWarning(R"({"x": "a NaN b"})"), "line 7: metric \"x\" is a string, not a number; skipped");
  // As a key, escaped quotes before it, or in an array: quoted only where a value starts.
  MetricPoint p = OnlyPoint(R"({"NaN": Infinity})");
  EXPECT_EQ(p.key, "NaN");
  EXPECT_EQ(p.value, INFINITY);
  EXPECT_EQ(OnlyPoint(R"({"q\"NaN": 1})").key, "q\"NaN");
  EXPECT_EQ(OnlyWarning(R"({NaN: 1})").find("line 7: not a JSON object"), 0u);
  EXPECT_EQ(OnlyWarning(R"({"x": 1, NaN: 1})").find("line 7: not a JSON object"), 0u);
  EXPECT_EQ(OnlyWarning(R"({"x": NaNa})").find("line 7: not a JSON object"), 0u);
  EXPECT_EQ(OnlyWarning(R"({"x": -NaN})").find("line 7: not a JSON object"), 0u);
  EXPECT_EQ(OnlyWarning(R"({"x": [NaN, Infinity]})"), "line 7: metric \"x\" is an array, not a number; skipped");
  EXPECT_EQ(OnlyWarning(R"({"x": "nan"})"), "line 7: metric \"x\" is a string, not a number; skipped");
}

TEST(MetricsLine, NonNumericMetricsAreSkippedOthersKept) {
  MetricsLineResult r = Parse(R"({"a": "x", "b": true, "c": null, "d": [1], "e": {"f": 1}, "g": 2})");
  ASSERT_EQ(r.points.size(), 1u);
  EXPECT_EQ(r.points[0].key, "g");
  EXPECT_EQ(r.warnings, (std::vector<std::string>{
                            "line 7: metric \"a\" is a string, not a number; skipped",
                            "line 7: metric \"b\" is a boolean, not a number; skipped",
                            "line 7: metric \"c\" is null, not a number; skipped",
                            "line 7: metric \"d\" is an array, not a number; skipped",
                            "line 7: metric \"e\" is an object, not a number; skipped",
                        }));
}

TEST(MetricsLine, LinesThatAreNotObjectsAreSkipped) {
  EXPECT_EQ(OnlyWarning("[1, 2]"), "line 7: not a JSON object: [1, 2]");
  EXPECT_EQ(OnlyWarning("42"), "line 7: not a JSON object: 42");
  EXPECT_EQ(OnlyWarning("epoch 3 loss 0.5"), "line 7: not a JSON object: epoch 3 loss 0.5");
  EXPECT_EQ(OnlyWarning(R"({"loss": 0.5, "acc)"), "line 7: not a JSON object: {\"loss\": 0.5, \"acc");
  EXPECT_EQ(OnlyWarning(R"({"a": 1} {"b": 2})").find("line 7: not a JSON object"), 0u);
  EXPECT_EQ(OnlyWarning(std::string("\x1b[31m{\"a\": 1}\x7f")), "line 7: not a JSON object: \\x1b[31m{\"a\": 1}\\x7f");
  EXPECT_EQ(OnlyWarning(std::string(100, 'z')), "line 7: not a JSON object: " + std::string(60, 'z') + "...");
  EXPECT_EQ(OnlyWarning("{\"a\xff\": 1}"), "line 7: not valid UTF-8: {\"a\\xff\": 1}");
  EXPECT_EQ(OnlyWarning("{\"\xc3\xa9\": 1, x}"), "line 7: not a JSON object: {\"\xc3\xa9\": 1, x}");
}

TEST(MetricsLine, BlankLinesAreIgnoredSilently) {
  for (std::string_view blank : {"", " ", "\t \r", "\r"}) {
    MetricsLineResult r = Parse(blank);
    EXPECT_TRUE(r.points.empty());
    EXPECT_TRUE(r.warnings.empty());
  }
  EXPECT_EQ(OnlyPoint("{\"a\": 1}\r").value, 1.0);
}

TEST(MetricsLine, LineLengthLimit) {
  std::string line = R"({"a": 1, "pad": ")";
  line += std::string(kMaxMetricsLineBytes - line.size() - 2, 'p') + "\"}";
  ASSERT_EQ(line.size(), kMaxMetricsLineBytes);
  EXPECT_EQ(Parse(line).points.size(), 1u);
  EXPECT_EQ(OnlyWarning("{ " + line.substr(1)), "line 7: longer than 65536 bytes; skipped");
}

TEST(MetricsLine, KeyCountLimit) {
  std::string line = "{";
  for (size_t i = 0; i < kMaxMetricsLineKeys; ++i) line += fmt::format("\"k{}\": {},", i, i);
  line.back() = '}';
  EXPECT_EQ(Parse(line).points.size(), kMaxMetricsLineKeys);
  line.back() = ',';
  line += "\"one_more\": 1}";
  EXPECT_EQ(OnlyWarning(line), "line 7: more than 1024 keys; skipped");
}

TEST(MetricsLine, KeyRules) {
  EXPECT_EQ(OnlyPoint("{\"" + std::string(kMaxMetricKeyBytes, 'k') + "\": 1}").key.size(), kMaxMetricKeyBytes);
  EXPECT_EQ(OnlyWarning("{\"x\": 1, \"" + std::string(kMaxMetricKeyBytes + 1, 'k') + "\": 1}"),
            "line 7: key \"" + std::string(60, 'k') + "...\" is longer than 256 bytes; skipped");
  EXPECT_EQ(OnlyWarning(R"({"x": 1, "a\u0001b": 1})"), "line 7: key \"a\\x01b\" contains control characters; skipped");
  EXPECT_EQ(OnlyWarning(R"({"a\u009bb": 1})"), "line 7: key \"a\\xc2\\x9bb\" contains control characters; skipped");
  EXPECT_EQ(OnlyWarning(R"({"": 1})"), "line 7: an empty key; skipped");
  EXPECT_EQ(OnlyWarning(R"({"\ud800": 1})").find("line 7: not a JSON object"), 0u);  // lone surrogate
  EXPECT_EQ(OnlyPoint("{\"val/\xe6\x8d\x9f\xe5\xa4\xb1\": 1}").key, "val/\xe6\x8d\x9f\xe5\xa4\xb1");
  EXPECT_EQ(OnlyWarning("{\"\xe6\x8d\x9f\": \"x\"}"), "line 7: metric \"\xe6\x8d\x9f\" is a string, not a number; skipped");
}

TEST(MetricsLine, NestingLimit) {
  std::string deep = R"({"a": 1, "b": )" + std::string(100, '[') + std::string(100, ']') + "}";
  EXPECT_EQ(OnlyWarning(deep), "line 7: nested more than 64 levels deep; skipped");
}

TEST(MetricsLine, DuplicateKeyLastValueWins) {
  EXPECT_EQ(OnlyPoint(R"({"a": 1, "a": 2})").value, 2.0);
}

}  // namespace
}  // namespace gitmodel
