#include "git/driver_setup.h"

#include <fmt/core.h>

namespace gitmodel {

std::vector<ConfigValue> DiffDriverConfig(bool external) {
  const std::string prefix = fmt::format("diff.{}.", kDiffDriver);
  std::vector<ConfigValue> values = {
      {prefix + "textconv", fmt::format("{} textconv", kProgram)},
      {prefix + "cachetextconv", "true"},
  };
  if (external) values.push_back({prefix + "command", fmt::format("{} git-diff", kProgram)});
  return values;
}

std::vector<std::string> DiffAttributeLines() {
  std::vector<std::string> lines;
  for (const char* pattern : {"*.pt", "*.pth", "*.ckpt", "*.safetensors"})
    lines.push_back(fmt::format("{} diff={}", pattern, kDiffDriver));
  return lines;
}

std::vector<ConfigValue> FilterDriverConfig() {
  const std::string prefix = fmt::format("filter.{}.", kFilterDriver);
  return {{prefix + "process", fmt::format("{} filter-process", kProgram)}, {prefix + "required", "true"}};
}

std::string TrackAttributeLine(const std::string& pattern) {
  return fmt::format("{} filter={} diff={} -text", pattern, kFilterDriver, kDiffDriver);
}

}  // namespace gitmodel
