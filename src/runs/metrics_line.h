// The metrics protocol: one line of the JSON-lines file a run's child process writes.
//
// `git model run` names a file in the environment variable GIT_MODEL_METRICS; the child appends
// lines to it (python/git_model.py's `log` writes each with one O_APPEND write). Each line is one
// JSON object:
//
//   {"step": 120, "loss": 0.4132, "lr": 0.0003, "time": 1732871437.52}
//
// - "step" (optional): an integer from 0 to 2^53. A float with an integral value (3.0) is
//   accepted. Anything else (negative, fractional, too large, a string, null...) leaves the
//   line's metrics without a step and adds a warning.
// - "time" (optional): when the values were logged, unix seconds, a finite number. Not a metric.
//   Anything else leaves the time absent and adds a warning.
// - Every other key is a metric whose value is a JSON number. Non-finite values are written
//   either as the strings "NaN", "Infinity", "-Infinity" (what git_model.py writes) or as the
//   barewords NaN, Infinity, -Infinity (what Python's json.dumps writes by default); both are
//   read. A number too large for a double (1e400) reads as +-Infinity, as in Python. A metric
//   whose value is anything else (another string, true/false, null, an array, an object) is
//   skipped with a warning naming the line number and the key; the line's other metrics are
//   kept.
// - Lines holding only whitespace are ignored silently. A line that is not a JSON object (not
//   JSON, a truncated object, invalid UTF-8, an array, a number) is skipped with a warning that
//   quotes its first 60 bytes, non-printable bytes written as \xNN.
// - Limits; a line breaking one is skipped with a warning: at most 65536 bytes (not counting the
//   '\n'), at most 1024 keys, nested at most 64 levels deep, every key 1 to 256 bytes of valid
//   UTF-8 without control characters (U+0000-U+001F, U+007F-U+009F).
// - When a key appears twice in a line, the last value counts (as in Python's json.loads).
//
// Warnings are one line each and begin with "line N: ".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gitmodel {

inline constexpr size_t kMaxMetricsLineBytes = 64u << 10;
inline constexpr size_t kMaxMetricsLineKeys = 1024;
inline constexpr size_t kMaxMetricKeyBytes = 256;
inline constexpr int kMaxMetricsLineDepth = 64;
inline constexpr int64_t kMaxMetricsStep = int64_t{1} << 53;

// One value of one metric, as logged.
struct MetricPoint {
  std::string key;
  double value = 0;                // finite, NaN, +Infinity or -Infinity
  std::optional<int64_t> step;     // 0..kMaxMetricsStep
  std::optional<double> time;      // finite unix seconds
  uint64_t line = 0;               // 1-based line number in the metrics file
};

struct MetricsLineResult {
  std::vector<MetricPoint> points;  // in key order (byte-wise), one per accepted metric
  std::vector<std::string> warnings;
};

// Parses one line (without its '\n'; a trailing '\r' is whitespace) as described above. Never
// fails: what cannot be read becomes a warning. `line_number` is used in points and warnings.
MetricsLineResult ParseMetricsLine(std::string_view line, uint64_t line_number);

// The warning for a line longer than kMaxMetricsLineBytes (shared with readers that drop such a
// line without holding it).
std::string MetricsLineTooLongWarning(uint64_t line_number);

}  // namespace gitmodel
