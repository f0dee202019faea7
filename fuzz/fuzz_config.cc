// Fuzz target: the config readers. The first byte picks the format (byte % 4: YAML, JSON, TOML,
// Python), the rest is the text. Successful reads must hold only well-formed values (JSON dump
// with strict UTF-8 must not throw) and display text for each; errors must be one line.
#include <cstdint>
#include <string_view>

#include "hyperparams/config_readers.h"
#include "hyperparams/flat_params.h"
#include "hyperparams/param_override.h"

namespace {

constexpr gitmodel::ConfigFormat kFormats[] = {gitmodel::ConfigFormat::kYaml, gitmodel::ConfigFormat::kJson,
                                               gitmodel::ConfigFormat::kToml, gitmodel::ConfigFormat::kPython};

void CheckError(const gitmodel::Status& s) {
  if (s.message().find('\n') != std::string::npos) __builtin_trap();  // messages are one line
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  auto params = gitmodel::ParseConfigText(kFormats[data[0] % 4], text, "fuzz.cfg");
  if (!params.ok()) {
    CheckError(params.status());
  } else {
    for (const auto& [key, value] : *params) {
      if (value.is_object()) __builtin_trap();  // flat: no nested objects
      (void)value.dump();                       // throws on ill-formed UTF-8: a bug
      (void)gitmodel::ParamValueText(value);
    }
    (void)nlohmann::json(*params).dump();
  }
  if (size < 256) {  // command-line assignments: short inputs only
    auto param = gitmodel::ParseParamAssignment(text);
    if (!param.ok()) CheckError(param.status());
    else (void)param->second.dump();
    auto metric = gitmodel::ParseMetricAssignment(text);
    if (!metric.ok()) CheckError(metric.status());
  }
  return 0;
}
