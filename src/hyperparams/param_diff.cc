#include "hyperparams/param_diff.h"

#include <cmath>

#include <fmt/core.h>

#include "base/sorted_merge.h"

namespace gitmodel {

bool SameParamValue(const nlohmann::json& a, const nlohmann::json& b) {
  if (a.is_number() && b.is_number()) {
    // Integers beyond 2^53 keep their exact values when both are integers.
    if (a.is_number_integer() && b.is_number_integer()) return a == b;
    const double x = a.get<double>(), y = b.get<double>();
    return x == y || (std::isnan(x) && std::isnan(y));
  }
  if (a.is_array() && b.is_array()) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
      if (!SameParamValue(a[i], b[i])) return false;
    }
    return true;
  }
  return a == b;
}

std::vector<ParamChange> DiffParams(const FlatParams& before, const FlatParams& after) {
  using nlohmann::json;
  std::vector<ParamChange> out;
  MergeByKey(
      before, after, [&](const std::string& key, const json& old) { out.push_back({key, old, std::nullopt}); },
      [&](const std::string& key, const json& added) { out.push_back({key, std::nullopt, added}); },
      [&](const std::string& key, const json& old, const json& now) {
        if (!SameParamValue(old, now)) out.push_back({key, old, now});
      });
  return out;
}

std::string ParamChangeText(const ParamChange& c) {
  if (!c.old_value) return fmt::format("{}: (added) {}", c.key, ParamValueText(*c.new_value));
  if (!c.new_value) return fmt::format("{}: {} -> (removed)", c.key, ParamValueText(*c.old_value));
  return fmt::format("{}: {} -> {}", c.key, ParamValueText(*c.old_value), ParamValueText(*c.new_value));
}

}  // namespace gitmodel
