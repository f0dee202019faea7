// Which container, if any, this process runs in (the `container` part of env_info.h).
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "provenance/env_info.h"

namespace gitmodel {

// Evidence, strongest first: /run/.containerenv (podman: image and id inside), /.dockerenv
// (docker), the container id in /proc/1/cgroup or in the bind mounts of /etc/hostname, /etc/hosts
// or /etc/resolv.conf in /proc/self/mountinfo, and KUBERNETES_SERVICE_HOST (runtime "kubernetes",
// whatever runs the pod). Non-empty GIT_MODEL_IMAGE, GIT_MODEL_IMAGE_DIGEST and
// GIT_MODEL_CONTAINER_ID override what was found: inside docker the image is not visible, so a
// launcher can pass it in. Files are read below `root`.
ContainerInfo DetectContainer(const std::string& root, const std::function<const char*(const char*)>& getenv);

struct ContainerHint {
  std::string runtime;  // "" when the evidence does not say
  std::string id;       // 64 hex digits, or ""
};
ContainerHint ParseCgroupHint(std::string_view proc_cgroup);
ContainerHint ParseMountinfoHint(std::string_view mountinfo);
// podman's /run/.containerenv: `image="..."` and `id="..."` lines.
void ParseContainerEnv(std::string_view text, ContainerInfo* out);

}  // namespace gitmodel
