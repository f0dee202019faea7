#include "report/report_text.h"

#include <cmath>
#include <ctime>

#include <fmt/format.h>

namespace gitmodel {
namespace {

// `seconds` as UTC calendar fields `format` (strftime) writes; "@<seconds>" when the time is out
// of what the C library can convert, so a forged commit date never breaks the report.
std::string FormatUtc(int64_t seconds, const char* format) {
  const time_t t = static_cast<time_t>(seconds);
  std::tm tm{};
  char text[64];
  if (gmtime_r(&t, &tm) == nullptr || std::strftime(text, sizeof(text), format, &tm) == 0)
    return fmt::format("@{}", seconds);
  return text;
}

// The commit's author time shifted into the author's zone.
int64_t LocalSeconds(const ReportCommit& commit) {
  int64_t local = 0;
  if (__builtin_add_overflow(commit.time, int64_t{commit.offset_minutes} * 60, &local)) return commit.time;
  return local;
}

std::string ZoneText(int offset_minutes) {
  const int64_t offset = std::abs(int64_t{offset_minutes});
  return fmt::format("{}{:02}:{:02}", offset_minutes < 0 ? '-' : '+', offset / 60, offset % 60);
}

}  // namespace

std::string ShortId(std::string_view id) { return std::string(id.substr(0, 7)); }

std::string CommitDay(const ReportCommit& commit) { return FormatUtc(LocalSeconds(commit), "%Y-%m-%d"); }

std::string CommitRfc3339(const ReportCommit& commit) {
  return FormatUtc(LocalSeconds(commit), "%Y-%m-%dT%H:%M:%S") + ZoneText(commit.offset_minutes);
}

std::string UtcDay(int64_t seconds) { return FormatUtc(seconds, "%Y-%m-%d"); }

std::string UtcRfc3339(int64_t seconds) { return FormatUtc(seconds, "%Y-%m-%dT%H:%M:%SZ"); }

std::string PeriodText(const ReportSummary& summary) {
  if (summary.since && summary.until) return UtcDay(*summary.since) + " to " + UtcDay(*summary.until);
  if (summary.since) return "since " + UtcDay(*summary.since);
  if (summary.until) return "until " + UtcDay(*summary.until);
  return "";
}

std::string NumberText(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  return fmt::format("{:.6g}", value);
}

std::string CountText(uint64_t count) {
  const std::string digits = fmt::format("{}", count);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string ValueChangeText(double from, double to) {
  std::string out = NumberText(from) + " -> " + NumberText(to);
  const double delta = to - from;
  if (!std::isfinite(delta)) return out;
  out += " (" + std::string(delta >= 0 ? "+" : "") + NumberText(delta);
  if (std::isfinite(from) && from != 0) out += fmt::format(", {:+.1f}%", delta / std::abs(from) * 100);
  return out + ")";
}

std::string ParametersText(uint64_t before, uint64_t after) {
  std::string out = CountText(before) + " -> " + CountText(after);
  if (before == after) return out + " (no change)";
  const bool grew = after > before;
  out += fmt::format(" ({}{}", grew ? '+' : '-', CountText(grew ? after - before : before - after));
  if (before != 0) {
    const double b = static_cast<double>(before);
    out += fmt::format(", {:+.1f}%", (static_cast<double>(after) - b) / b * 100);
  }
  return out + ")";
}

std::string_view DirectionText(bool higher_is_better) {
  return higher_is_better ? "higher is better" : "lower is better";
}

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace gitmodel
