#include "runs/metrics_line.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "base/json_document.h"
#include "runs/metrics_non_finite.h"

namespace gitmodel {
namespace {

using nlohmann::json;

constexpr size_t kExcerptBytes = 60;

// The length of the UTF-8 sequence starting at `s[i]` with its code point in `cp`, or 0 when it
// is not valid UTF-8 (truncated, overlong, a surrogate, above U+10FFFF).
size_t DecodeUtf8(std::string_view s, size_t i, uint32_t& cp) {
  const auto lead = static_cast<unsigned char>(s[i]);
  size_t len = lead < 0x80 ? 1 : (lead >> 5) == 6 ? 2 : (lead >> 4) == 14 ? 3 : (lead >> 3) == 30 ? 4 : 0;
  if (len == 0 || s.size() - i < len) return 0;
  static constexpr unsigned char kLeadMask[] = {0, 0x7F, 0x1F, 0x0F, 0x07};
  static constexpr uint32_t kMinCodePoint[] = {0, 0, 0x80, 0x800, 0x10000};
  cp = lead & kLeadMask[len];
  for (size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < kMinCodePoint[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

bool IsControl(uint32_t cp) { return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F); }

bool IsValidUtf8(std::string_view s) {
  uint32_t cp = 0;
  for (size_t i = 0, len = 0; i < s.size(); i += len) {
    if ((len = DecodeUtf8(s, i, cp)) == 0) return false;
  }
  return true;
}

// At most kExcerptBytes of `text` ("..." when cut), safe for one terminal line: control
// characters and bytes that are not valid UTF-8 are written as \xNN.
std::string Excerpt(std::string_view text) {
  const bool cut = text.size() > kExcerptBytes;
  if (cut) text = text.substr(0, kExcerptBytes);
  std::string out;
  uint32_t cp = 0;
  for (size_t i = 0; i < text.size();) {
    const size_t len = DecodeUtf8(text, i, cp);
    if (len > 0 && !IsControl(cp)) {
      out.append(text.substr(i, len));
      i += len;
    } else {
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(text[i]));
      ++i;
    }
  }
  return cut ? out + "..." : out;
}

std::string Quoted(std::string_view key) { return "\"" + Excerpt(key) + "\""; }

std::string ValueText(const json& value) {
  return Excerpt(value.dump(-1, ' ', false, json::error_handler_t::replace));
}

bool IsBlank(std::string_view line) { return line.find_first_not_of(" \t\r\f\v") == std::string_view::npos; }

std::optional<json> ParseLineObject(std::string_view line, uint64_t n, std::vector<std::string>& warnings) {
  Result<json> document = ParseJsonDocument(QuoteNonFiniteValues(line), "line", kMaxMetricsLineDepth);
  if (!document.ok() && document.status().code() == Code::kLimit) {
    warnings.push_back(fmt::format("line {}: nested more than {} levels deep; skipped", n, kMaxMetricsLineDepth));
  } else if (!document.ok() && !IsValidUtf8(line)) {
    warnings.push_back(fmt::format("line {}: not valid UTF-8: {}", n, Excerpt(line)));
  } else if (!document.ok() || !document->is_object()) {
    warnings.push_back(fmt::format("line {}: not a JSON object: {}", n, Excerpt(line)));
  } else {
    return std::move(document).value();
  }
  return std::nullopt;
}

// Why `key` breaks the protocol's key rules, or "" when it does not.
std::string KeyProblem(const std::string& key) {
  if (key.empty()) return "an empty key";
  if (key.size() > kMaxMetricKeyBytes) return fmt::format("key {} is longer than {} bytes", Quoted(key), kMaxMetricKeyBytes);
  uint32_t cp = 0;
  for (size_t i = 0, len = 0; i < key.size(); i += len) {
    len = DecodeUtf8(key, i, cp);
    if (len == 0) return fmt::format("key {} is not valid UTF-8", Quoted(key));
    if (IsControl(cp)) return fmt::format("key {} contains control characters", Quoted(key));
  }
  return "";
}

bool CheckKeys(const json& object, uint64_t n, std::vector<std::string>& warnings) {
  if (object.size() > kMaxMetricsLineKeys) {
    warnings.push_back(fmt::format("line {}: more than {} keys; skipped", n, kMaxMetricsLineKeys));
    return false;
  }
  for (const auto& [key, value] : object.items()) {
    if (std::string problem = KeyProblem(key); !problem.empty()) {
      warnings.push_back(fmt::format("line {}: {}; skipped", n, problem));
      return false;
    }
  }
  return true;
}

std::optional<int64_t> StepValue(const json& v) {
  if (v.is_number_unsigned()) {
    const auto u = v.get<uint64_t>();
    if (u <= static_cast<uint64_t>(kMaxMetricsStep)) return static_cast<int64_t>(u);
  } else if (v.is_number_integer()) {
    const auto i = v.get<int64_t>();
    if (i >= 0 && i <= kMaxMetricsStep) return i;
  } else if (v.is_number_float()) {
    const auto d = v.get<double>();  // NaN fails every comparison
    if (d >= 0 && d <= static_cast<double>(kMaxMetricsStep) && std::floor(d) == d) return static_cast<int64_t>(d);
  }
  return std::nullopt;
}

std::optional<double> TimeValue(const json& v) {
  if (v.is_number() && std::isfinite(v.get<double>())) return v.get<double>();
  return std::nullopt;
}

std::optional<double> MetricValue(const json& v) {
  if (v.is_number()) return v.get<double>();
  if (!v.is_string()) return std::nullopt;
  const auto& text = v.get_ref<const std::string&>();
  constexpr double kInf = std::numeric_limits<double>::infinity();
  if (text == "NaN") return std::numeric_limits<double>::quiet_NaN();
  if (text == "Infinity") return kInf;
  if (text == "-Infinity") return -kInf;
  return std::nullopt;
}

const char* KindName(const json& v) {
  if (v.is_string()) return "a string";
  if (v.is_boolean()) return "a boolean";
  if (v.is_null()) return "null";
  if (v.is_array()) return "an array";
  return "an object";
}

void ReadPoints(const json& object, uint64_t n, MetricsLineResult& result) {
  std::optional<int64_t> step;
  std::optional<double> time;
  if (auto it = object.find("step"); it != object.end() && !(step = StepValue(*it))) {
    result.warnings.push_back(fmt::format("line {}: \"step\" must be an integer from 0 to 2^53, not {}; "
                                          "the line's metrics have no step", n, ValueText(*it)));
  }
  if (auto it = object.find("time"); it != object.end() && !(time = TimeValue(*it))) {
    result.warnings.push_back(
        fmt::format("line {}: \"time\" must be a finite number of unix seconds, not {}; ignored", n, ValueText(*it)));
  }
  for (const auto& [key, value] : object.items()) {
    if (key == "step" || key == "time") continue;
    std::optional<double> number = MetricValue(value);
    if (!number) {
      result.warnings.push_back(
          fmt::format("line {}: metric {} is {}, not a number; skipped", n, Quoted(key), KindName(value)));
      continue;
    }
    result.points.push_back(MetricPoint{key, *number, step, time, n});
  }
}

}  // namespace

MetricsLineResult ParseMetricsLine(std::string_view line, uint64_t line_number) {
  MetricsLineResult result;
  if (line.size() > kMaxMetricsLineBytes) {
    result.warnings.push_back(MetricsLineTooLongWarning(line_number));
    return result;
  }
  if (IsBlank(line)) return result;
  std::optional<json> object = ParseLineObject(line, line_number, result.warnings);
  if (object && CheckKeys(*object, line_number, result.warnings)) ReadPoints(*object, line_number, result);
  return result;
}

std::string MetricsLineTooLongWarning(uint64_t line_number) {
  return fmt::format("line {}: longer than {} bytes; skipped", line_number, kMaxMetricsLineBytes);
}

}  // namespace gitmodel
