#include "provenance/env_container.h"

#include "provenance/env_probe.h"

namespace gitmodel {
namespace {

bool IsHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

// The first run of exactly 64 lowercase hex digits in `s`, or "".
std::string HexId(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    size_t j = i;
    while (j < s.size() && IsHex(s[j])) ++j;
    if (j - i == 64) return std::string(s.substr(i, 64));
    i = j == i ? i + 1 : j;
  }
  return "";
}

std::vector<std::string_view> SplitOn(std::string_view text, char sep) {
  std::vector<std::string_view> out;
  while (true) {
    size_t at = text.find(sep);
    out.push_back(text.substr(0, at));
    if (at == std::string_view::npos) return out;
    text.remove_prefix(at + 1);
  }
}

// Runtime named by a cgroup path component holding an id ("docker-<id>.scope", ".../docker/<id>").
std::string CgroupRuntime(std::string_view component, std::string_view parent, std::string_view path) {
  if (component.starts_with("docker-") || parent == "docker") return "docker";
  if (component.starts_with("cri-containerd-")) return "containerd";
  if (component.starts_with("crio-")) return "cri-o";
  if (component.starts_with("libpod-")) return "podman";
  if (path.find("kubepods") != std::string_view::npos) return "kubernetes";
  return "";
}

std::string Unquoted(std::string_view v) {
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  return CleanValue(v);
}

void Override(const std::function<const char*(const char*)>& getenv, const char* name, std::string* field) {
  const char* v = getenv(name);
  if (v != nullptr && *v != '\0') *field = CleanValue(v);
}

}  // namespace

ContainerHint ParseCgroupHint(std::string_view proc_cgroup) {
  for (std::string_view line : SplitOn(proc_cgroup, '\n')) {
    size_t colon = line.find(':', line.find(':') + 1);  // "<id>:<controllers>:<path>"
    if (colon == std::string_view::npos) continue;
    std::string_view path = line.substr(colon + 1);
    std::vector<std::string_view> parts = SplitOn(path, '/');
    for (size_t k = parts.size(); k-- > 0;) {
      std::string id = HexId(parts[k]);
      if (!id.empty()) return {CgroupRuntime(parts[k], k > 0 ? parts[k - 1] : "", path), id};
    }
  }
  return {};
}

ContainerHint ParseMountinfoHint(std::string_view mountinfo) {
  for (std::string_view line : SplitOn(mountinfo, '\n')) {
    std::vector<std::string_view> f = SplitOn(line, ' ');  // id parent dev root mountpoint ...
    if (f.size() < 5 || (f[4] != "/etc/hostname" && f[4] != "/etc/hosts" && f[4] != "/etc/resolv.conf")) continue;
    std::string_view root = f[3];
    for (auto [marker, runtime] : {std::pair{"/overlay-containers/", "podman"}, {"/containers/", "docker"},
                                   {"/io.containerd.grpc.v1.cri/sandboxes/", "containerd"}}) {
      size_t at = root.find(marker);
      if (at == std::string_view::npos) continue;
      std::string id = HexId(root.substr(at + std::string_view(marker).size()).substr(0, 64));
      // containerd's path names the pod sandbox, not this container: keep the runtime only.
      if (!id.empty()) return {runtime, std::string_view(runtime) == "containerd" ? "" : id};
    }
  }
  return {};
}

void ParseContainerEnv(std::string_view text, ContainerInfo* out) {
  for (std::string_view line : SplitOn(text, '\n')) {
    size_t eq = line.find('=');
    if (eq == std::string_view::npos) continue;
    std::string_view key = line.substr(0, eq);
    if (key == "image") out->image = Unquoted(line.substr(eq + 1));
    if (key == "id") out->id = HexId(Unquoted(line.substr(eq + 1)));
  }
}

ContainerInfo DetectContainer(const std::string& root, const std::function<const char*(const char*)>& getenv) {
  ContainerInfo c;
  if (PathExists(UnderRoot(root, "/run/.containerenv"))) {
    c.runtime = "podman";
    ParseContainerEnv(ReadProbeFile(UnderRoot(root, "/run/.containerenv"), 64 << 10), &c);
  } else if (PathExists(UnderRoot(root, "/.dockerenv"))) {
    c.runtime = "docker";
  }
  ContainerHint hint = ParseCgroupHint(ReadProbeFile(UnderRoot(root, "/proc/1/cgroup"), 64 << 10));
  if (hint.id.empty()) hint = ParseMountinfoHint(ReadProbeFile(UnderRoot(root, "/proc/self/mountinfo"), 1 << 20));
  if (c.runtime.empty()) c.runtime = hint.runtime;
  if (c.id.empty()) c.id = hint.id;
  const char* k8s = getenv("KUBERNETES_SERVICE_HOST");
  if (k8s != nullptr && *k8s != '\0') c.runtime = "kubernetes";
  Override(getenv, "GIT_MODEL_IMAGE", &c.image);
  Override(getenv, "GIT_MODEL_IMAGE_DIGEST", &c.image_digest);
  Override(getenv, "GIT_MODEL_CONTAINER_ID", &c.id);
  return c;
}

}  // namespace gitmodel
