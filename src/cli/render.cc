#include "cli/render.h"

#include <cstdio>

#include <fmt/core.h>

#include "formats/node_text.h"

namespace gitmodel::cli {

std::string HumanBytes(uint64_t bytes) {
  static const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
  double v = static_cast<double>(bytes);
  int unit = 0;
  while (v >= 1024 && unit < 5) {
    v /= 1024;
    ++unit;
  }
  return unit == 0 ? fmt::format("{} B", bytes) : fmt::format("{:.1f} {}", v, kUnits[unit]);
}

std::string Thousands(uint64_t n) {
  std::string digits = std::to_string(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string CountOf(uint64_t n, std::string_view noun) {
  return fmt::format("{} {}{}", Thousands(n), noun, n == 1 ? "" : "s");
}

std::string HumanCount(uint64_t n) {
  if (n < 1000) return std::to_string(n);
  static const char* kSuffix[] = {"", "K", "M", "B", "T"};
  double v = static_cast<double>(n);
  int s = 0;
  while (v >= 1000 && s < 4) {
    v /= 1000;
    ++s;
  }
  return fmt::format("{:.1f}{}", v, kSuffix[s]);
}

std::string FormatTable(const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> width;
  for (const auto& row : rows)
    for (size_t c = 0; c < row.size(); ++c) {
      if (width.size() <= c) width.push_back(0);
      width[c] = std::max(width[c], row[c].size());
    }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (size_t c = 0; c < row.size(); ++c) {
      line += row[c];
      if (c + 1 < row.size()) line += std::string(width[c] - row[c].size() + 2, ' ');
    }
    out += line + "\n";
  }
  return out;
}

std::string JsonLine(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Messages quote names from untrusted files: control characters are escaped so that an error is
// always exactly one line.
void PrintError(std::string_view message) { fmt::print(stderr, "git-model: {}\n", ValidUtf8(message)); }

}  // namespace gitmodel::cli
