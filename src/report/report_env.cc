#include "report/report_env.h"

#include <algorithm>
#include <functional>
#include <utility>

#include <fmt/core.h>

namespace gitmodel {
namespace {

std::string GpuText(const EnvInfo& env) {
  if (env.gpus.empty()) return "";
  const std::string& name = env.gpus.front().name;
  const bool same = std::all_of(env.gpus.begin(), env.gpus.end(), [&](const GpuInfo& g) { return g.name == name; });
  if (!same) {
    std::string all;
    for (const GpuInfo& g : env.gpus) all += (all.empty() ? "" : ", ") + g.name;
    return all;
  }
  return env.gpus.size() == 1 ? name : fmt::format("{} x {}", env.gpus.size(), name);
}

using FieldReader = std::function<std::string(const EnvInfo&)>;

const std::vector<std::pair<std::string, FieldReader>>& Fields() {
  static const std::vector<std::pair<std::string, FieldReader>> fields = {
      {"torch", [](const EnvInfo& e) { return e.torch; }},
      {"torch_cuda", [](const EnvInfo& e) { return e.torch_cuda; }},
      {"cuda", [](const EnvInfo& e) { return e.cuda; }},
      {"cuda_toolkit", [](const EnvInfo& e) { return e.cuda_toolkit; }},
      {"cudnn", [](const EnvInfo& e) { return e.cudnn.empty() ? e.torch_cudnn : e.cudnn; }},
      {"driver", [](const EnvInfo& e) { return e.driver; }},
      {"python", [](const EnvInfo& e) { return e.python; }},
      {"gpu", GpuText},
      {"image", [](const EnvInfo& e) { return e.container.image; }},
      {"os", [](const EnvInfo& e) { return e.os; }},
  };
  return fields;
}

// Each value of one field, in the order it first appeared.
std::vector<EnvValueSeen> ValuesOf(const std::vector<RunEnvironment>& runs, const FieldReader& read) {
  std::vector<EnvValueSeen> values;
  for (const RunEnvironment& run : runs) {
    const std::string value = read(run.env);
    if (value.empty()) continue;
    auto it = std::find_if(values.begin(), values.end(), [&](const EnvValueSeen& v) { return v.value == value; });
    if (it == values.end()) values.push_back({value, run.run_id, run.commit, 1});
    else ++it->runs;
  }
  return values;
}

}  // namespace

void EnvironmentChanges(const std::vector<RunEnvironment>& runs, std::vector<EnvChange>& changed,
                        std::vector<EnvUnchanged>& unchanged) {
  for (const auto& [field, read] : Fields()) {
    std::vector<EnvValueSeen> values = ValuesOf(runs, read);
    if (values.size() == 1) unchanged.push_back({field, values.front().value});
    else if (values.size() > 1) changed.push_back({field, std::move(values)});
  }
}

}  // namespace gitmodel
