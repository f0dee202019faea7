#include "provenance/env_probe.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <charconv>
#include <map>

namespace gitmodel {
namespace {

constexpr size_t kMaxValueBytes = 256;

std::string_view Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> out;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    out.push_back(text.substr(0, nl));
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
  }
  return out;
}

template <typename T>
bool ToNumber(std::string_view s, T* out, int base = 10) {
  s = Trim(s);
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *out, base);
  return !s.empty() && ec == std::errc() && end == s.data() + s.size();
}

// Shell-style value of os-release: "double quoted" with \ escapes, 'single quoted', or bare.
std::string Unquote(std::string_view v) {
  v = Trim(v);
  if (v.size() >= 2 && v.front() == '\'' && v.back() == '\'') return std::string(v.substr(1, v.size() - 2));
  if (v.size() < 2 || v.front() != '"' || v.back() != '"') return std::string(v);
  std::string out;
  for (size_t i = 1; i + 1 < v.size(); ++i) {
    if (v[i] == '\\' && i + 2 < v.size()) ++i;
    out.push_back(v[i]);
  }
  return out;
}

// "key<sep>value" lines, first occurrence of each key kept, keys trimmed.
std::map<std::string, std::string, std::less<>> KeyValues(std::string_view text, char sep) {
  std::map<std::string, std::string, std::less<>> out;
  for (std::string_view line : Lines(text)) {
    size_t at = line.find(sep);
    if (at == std::string_view::npos) continue;
    out.emplace(std::string(Trim(line.substr(0, at))), std::string(Trim(line.substr(at + 1))));
  }
  return out;
}

std::string ArmCoreName(std::string_view implementer, std::string_view part) {
  static const std::map<std::string, std::string, std::less<>> kArm = {
      {"0xd0c", "Neoverse-N1"}, {"0xd40", "Neoverse-V1"}, {"0xd49", "Neoverse-N2"},
      {"0xd4f", "Neoverse-V2"}, {"0xd8e", "Neoverse-N3"}, {"0xd84", "Neoverse-V3"}};
  auto it = kArm.find(part);
  if (implementer == "0x41" && it != kArm.end()) return "ARM " + it->second;
  return fmt::format("CPU implementer {} part {}", implementer, part);
}

}  // namespace

std::string UnderRoot(const std::string& root, std::string_view absolute) {
  if (root.empty() || root == "/") return std::string(absolute);
  std::string base = root.ends_with('/') ? root.substr(0, root.size() - 1) : root;
  return base + std::string(absolute);
}

std::string ReadProbeFile(const std::string& path, size_t max_bytes) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) return "";
  struct stat st;
  std::string out;
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
    char buffer[16384];
    ssize_t n;
    while (out.size() < max_bytes && (n = read(fd, buffer, sizeof buffer)) > 0)
      out.append(buffer, std::min(static_cast<size_t>(n), max_bytes - out.size()));
  }
  close(fd);
  return out;
}

bool PathExists(const std::string& path) {
  struct stat st;
  return lstat(path.c_str(), &st) == 0;
}

std::string CleanValue(std::string_view text) {
  text = Trim(text);
  if (text.size() > kMaxValueBytes) return "";
  for (char c : text)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return "";
  return std::string(text);
}

std::string ParseOsRelease(std::string_view text) {
  auto kv = KeyValues(text, '=');
  if (auto it = kv.find("PRETTY_NAME"); it != kv.end()) return CleanValue(Unquote(it->second));
  std::string name = kv.contains("NAME") ? Unquote(kv["NAME"]) : "";
  std::string version = kv.contains("VERSION") ? Unquote(kv["VERSION"]) : "";
  return CleanValue(version.empty() ? name : name + " " + version);
}

std::string ParseCpuModel(std::string_view cpuinfo) {
  auto kv = KeyValues(cpuinfo, ':');
  for (const char* key : {"model name", "Model", "cpu model", "Processor", "cpu", "uarch"}) {
    if (auto it = kv.find(key); it != kv.end() && !it->second.empty()) return CleanValue(it->second);
  }
  if (kv.contains("CPU implementer") && kv.contains("CPU part"))
    return CleanValue(ArmCoreName(kv["CPU implementer"], kv["CPU part"]));
  return "";
}

int CountCpuProcessors(std::string_view cpuinfo) {
  int count = 0;
  for (std::string_view line : Lines(cpuinfo)) {
    size_t colon = line.find(':');
    if (colon != std::string_view::npos && Trim(line.substr(0, colon)) == "processor") ++count;
  }
  return count;
}

int ParseCpuList(std::string_view list) {
  int64_t count = 0;
  list = Trim(list);
  while (!list.empty()) {
    size_t comma = list.find(',');
    std::string_view range = list.substr(0, comma);
    list.remove_prefix(comma == std::string_view::npos ? list.size() : comma + 1);
    size_t dash = range.find('-');
    int64_t lo = 0, hi = 0;
    if (!ToNumber(range.substr(0, dash), &lo)) return 0;
    if (dash == std::string_view::npos) hi = lo;
    else if (!ToNumber(range.substr(dash + 1), &hi)) return 0;
    if (lo < 0 || hi < lo || hi > 1 << 20) return 0;
    count += hi - lo + 1;
  }
  return count > (1 << 20) ? 0 : static_cast<int>(count);
}

uint64_t ParseMemTotal(std::string_view meminfo) {
  auto kv = KeyValues(meminfo, ':');
  auto it = kv.find("MemTotal");
  if (it == kv.end() || !it->second.ends_with(" kB")) return 0;
  uint64_t kib = 0;
  if (!ToNumber(std::string_view(it->second).substr(0, it->second.size() - 3), &kib) || kib > (1ull << 50)) return 0;
  return kib * 1024;
}

}  // namespace gitmodel
