#include "runs/run_id.h"

#include <ctime>
#include <random>

#include <fmt/core.h>

namespace gitmodel {

std::string NewRunId(std::chrono::system_clock::time_point start) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(start);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  std::random_device entropy;
  const unsigned random = entropy() & 0xffffffu;
  return fmt::format("{:04}{:02}{:02}-{:02}{:02}{:02}-{:06x}", utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday,
                     utc.tm_hour, utc.tm_min, utc.tm_sec, random);
}

bool IsRunId(std::string_view id) {
  constexpr std::string_view kShape = "dddddddd-dddddd-xxxxxx";
  if (id.size() != kShape.size()) return false;
  for (size_t i = 0; i < id.size(); ++i) {
    const char c = id[i];
    const bool ok = kShape[i] == '-'   ? c == '-'
                    : kShape[i] == 'd' ? (c >= '0' && c <= '9')
                                       : ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
    if (!ok) return false;
  }
  return true;
}

}  // namespace gitmodel
