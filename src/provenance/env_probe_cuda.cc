// The NVIDIA and Python parts of env_probe.h.
#include <charconv>

#include <nlohmann/json.hpp>

#include "provenance/env_probe.h"

namespace gitmodel {
namespace {

std::vector<std::string_view> Split(std::string_view text, std::string_view sep) {
  std::vector<std::string_view> out;
  while (true) {
    size_t at = text.find(sep);
    out.push_back(text.substr(0, at));
    if (at == std::string_view::npos) return out;
    text.remove_prefix(at + sep.size());
  }
}

// nvidia-smi writes "[N/A]" or "[Not Supported]" for what it does not know.
std::string SmiValue(std::string_view v) {
  std::string clean = CleanValue(v);
  return clean.starts_with('[') ? "" : clean;
}

std::string VersionAfter(std::string_view text, std::string_view marker) {
  size_t at = text.find(marker);
  if (at == std::string_view::npos) return "";
  std::string_view rest = text.substr(at + marker.size());
  rest.remove_prefix(std::min(rest.find_first_not_of(' '), rest.size()));
  return CleanValue(rest.substr(0, rest.find_first_not_of("0123456789.")));
}

int64_t DefineValue(std::string_view text, std::string_view name) {
  for (std::string_view line : Split(text, "\n")) {
    size_t at = line.find("#define ");
    if (at == std::string_view::npos) continue;
    std::string_view rest = line.substr(at + 8);
    if (!rest.starts_with(name) || rest.size() == name.size() || (rest[name.size()] != ' ' && rest[name.size()] != '\t'))
      continue;
    std::string value = CleanValue(rest.substr(name.size()));
    int64_t v = -1;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
    return ec == std::errc() && end == value.data() + value.size() && v >= 0 && v < 100000 ? v : -1;
  }
  return -1;
}

std::string JsonString(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? CleanValue(it->get<std::string>()) : "";
}

// Finds torch without importing it (importing takes seconds, more with CUDA): find_spec locates
// the package, version.py is read as text, and the cuDNN that pip wheels bundle
// (nvidia/cudnn/include/cudnn_version.h on sys.path) is read from its header. No code of torch
// or of the repository runs.
constexpr char kPythonProbeBody[] = R"PY(
import sys
sys.path[:] = [p for p in sys.path if p not in ("", ".")]
import json, os, re
r = {"python": "%d.%d.%d" % tuple(sys.version_info[:3])}
def assigned(text, name):
    m = re.search(r"^" + name + r"\s*(?::[^=\n]*)?=\s*['\"]([^'\"\n]+)['\"]", text, re.M)
    return m.group(1) if m else ""
def bundled_cudnn():
    for base in sys.path:
        header = os.path.join(base, "nvidia", "cudnn", "include", "cudnn_version.h")
        if os.path.isfile(header):
            text = open(header, encoding="utf-8", errors="replace").read()
            parts = [re.search(r"#define\s+CUDNN_" + k + r"\s+(\d+)", text) for k in ("MAJOR", "MINOR", "PATCHLEVEL")]
            if all(parts):
                return ".".join(p.group(1) for p in parts)
    return ""
if import_torch:
    try:
        import importlib.util
        spec = importlib.util.find_spec("torch")
        if spec and spec.origin:
            text = open(os.path.join(os.path.dirname(spec.origin), "version.py"), encoding="utf-8").read()
            r["torch"] = assigned(text, "__version__")
            r["torch_cuda"] = assigned(text, "cuda")
            r["torch_cudnn"] = bundled_cudnn()
    except Exception:
        pass
print(json.dumps(r))
)PY";

}  // namespace

SmiQuery ParseNvidiaSmiQuery(std::string_view csv) {
  SmiQuery out;
  for (std::string_view raw : Split(csv, "\n")) {
    std::string line = CleanValue(raw);
    // name, memory.total, uuid, driver_version: a name holding ',' is why we cut from the right.
    size_t c3 = line.rfind(',');
    size_t c2 = c3 == std::string::npos || c3 == 0 ? std::string::npos : line.rfind(',', c3 - 1);
    size_t c1 = c2 == std::string::npos || c2 == 0 ? std::string::npos : line.rfind(',', c2 - 1);
    if (c1 == std::string::npos) continue;
    std::string_view v(line);
    GpuInfo gpu{SmiValue(v.substr(0, c1)), 0, SmiValue(v.substr(c2 + 1, c3 - c2 - 1))};
    std::string memory = SmiValue(v.substr(c1 + 1, c2 - c1 - 1));
    uint64_t mib = 0;
    auto [end, ec] = std::from_chars(memory.data(), memory.data() + memory.size(), mib);
    if (!memory.empty() && ec == std::errc() && end == memory.data() + memory.size() && mib < (1ull << 40))
      gpu.memory_bytes = mib << 20;
    if (out.driver.empty()) out.driver = SmiValue(v.substr(c3 + 1));
    out.gpus.push_back(std::move(gpu));
  }
  return out;
}

std::string ParseSmiCudaVersion(std::string_view smi_output) { return VersionAfter(smi_output, "CUDA Version:"); }

std::string ParseCudaVersionJson(std::string_view text) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object() || !j.contains("cuda") || !j["cuda"].is_object()) return "";
  return JsonString(j["cuda"], "version");
}

std::string ParseCudaVersionTxt(std::string_view text) { return VersionAfter(text, "CUDA Version"); }

std::string ParseNvccVersion(std::string_view text) {
  std::string full = VersionAfter(text, ", V");
  return full.empty() ? VersionAfter(text, "release ") : full;
}

std::string ParseCudnnHeader(std::string_view text) {
  int64_t major = DefineValue(text, "CUDNN_MAJOR"), minor = DefineValue(text, "CUDNN_MINOR"),
          patch = DefineValue(text, "CUDNN_PATCHLEVEL");
  if (major < 0 || minor < 0 || patch < 0) return "";
  return fmt::format("{}.{}.{}", major, minor, patch);
}

std::string CudnnVersionFromInt(int64_t v) {
  if (v <= 0 || v > 10'000'000) return "";
  if (v >= 10000) return fmt::format("{}.{}.{}", v / 10000, v / 100 % 100, v % 100);  // cuDNN 9+
  return fmt::format("{}.{}.{}", v / 1000, v / 100 % 10, v % 100);
}

std::string PythonProbeScript(bool import_torch) {
  return std::string(import_torch ? "import_torch = True" : "import_torch = False") + kPythonProbeBody;
}

PythonVersions ParsePythonProbe(std::string_view output) {
  PythonVersions out;
  std::string_view last;
  for (std::string_view line : Split(output, "\n"))
    if (line.starts_with('{')) last = line;
  auto j = nlohmann::json::parse(last, nullptr, false);
  if (!j.is_object()) return out;
  out.python = JsonString(j, "python");
  out.torch = JsonString(j, "torch");
  out.torch_cuda = JsonString(j, "torch_cuda");
  if (auto it = j.find("torch_cudnn"); it != j.end() && it->is_number_integer())
    out.torch_cudnn = CudnnVersionFromInt(it->get<int64_t>());
  else if (it != j.end() && it->is_string())
    out.torch_cudnn = CleanValue(it->get<std::string>());
  return out;
}

}  // namespace gitmodel
