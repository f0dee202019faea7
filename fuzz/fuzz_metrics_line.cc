// Fuzz target: the metrics protocol (src/runs/metrics_line.h), lines a training script writes
// and git-model reads back. The input is one line for ParseMetricsLine and, as a file, the input
// of a MetricsFileReader polled halfway through; the reader must give the same points as
// ParseMetricsLine gives for each '\n'-separated line. Every point and warning must keep the
// documented promises.
#include <cmath>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_input.h"
#include "runs/metrics_file.h"
#include "runs/metrics_line.h"

namespace {

using gitmodel::MetricPoint;

bool IsOneSafeLine(const std::string& text) {
  for (char c : text) {
    const auto b = static_cast<unsigned char>(c);
    if (b < 0x20 || b == 0x7f) return false;
  }
  return true;
}

void CheckPoint(const MetricPoint& p, uint64_t line) {
  if (p.key.empty() || p.key.size() > gitmodel::kMaxMetricKeyBytes || !IsOneSafeLine(p.key)) __builtin_trap();
  if (p.key == "step" || p.key == "time" || p.line != line) __builtin_trap();
  if (p.step && (*p.step < 0 || *p.step > gitmodel::kMaxMetricsStep)) __builtin_trap();
  if (p.time && !std::isfinite(*p.time)) __builtin_trap();
}

void CheckWarning(const std::string& warning) {
  if (!warning.starts_with("line ") || warning.size() > 512 || !IsOneSafeLine(warning)) __builtin_trap();
}

bool SamePoint(const MetricPoint& a, const MetricPoint& b) {
  return a.key == b.key && std::memcmp(&a.value, &b.value, sizeof(double)) == 0 && a.step == b.step &&
         a.time == b.time && a.line == b.line;
}

// The points ParseMetricsLine gives for each line of `text`, the reader's rules for long lines
// included.
std::vector<MetricPoint> PointsLineByLine(std::string_view text) {
  std::vector<MetricPoint> points;
  uint64_t line = 0;
  while (!text.empty()) {
    const size_t end = std::min(text.find('\n'), text.size());
    gitmodel::MetricsLineResult result = gitmodel::ParseMetricsLine(text.substr(0, end), ++line);
    for (MetricPoint& p : result.points) points.push_back(std::move(p));
    text.remove_prefix(std::min(end + 1, text.size()));
  }
  return points;
}

void CheckReader(std::string_view text) {
  const std::string path = gitmodel::fuzz::WriteTempFile(gitmodel::fuzz::AsBytes(
      reinterpret_cast<const uint8_t*>(text.data()), text.size() / 2), ".jsonl");
  if (path.empty()) return;
  gitmodel::MetricsFileReader reader(path);
  auto first = reader.Poll();
  gitmodel::fuzz::WriteTempFile(gitmodel::fuzz::AsBytes(reinterpret_cast<const uint8_t*>(text.data()), text.size()),
                                ".jsonl");
  auto rest = reader.Finish();
  if (!first.ok() || !rest.ok()) __builtin_trap();
  first->insert(first->end(), rest->begin(), rest->end());
  const std::vector<MetricPoint> expected = PointsLineByLine(text);
  if (first->size() != expected.size()) __builtin_trap();
  for (size_t i = 0; i < expected.size(); ++i) {
    if (!SamePoint((*first)[i], expected[i])) __builtin_trap();
  }
  for (const std::string& warning : reader.warnings()) CheckWarning(warning);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  gitmodel::MetricsLineResult result = gitmodel::ParseMetricsLine(text, 7);
  for (const MetricPoint& p : result.points) CheckPoint(p, 7);
  for (const std::string& warning : result.warnings) CheckWarning(warning);
  if (size > gitmodel::kMaxMetricsLineBytes && !result.points.empty()) __builtin_trap();
  CheckReader(text);
  return 0;
}
