#include "provenance/env_container.h"

#include <gtest/gtest.h>

#include <map>

#include "provenance/testing/temp_dir.h"

namespace gitmodel {
namespace {

using testutil::ScratchDir;
using testutil::WriteTestFile;

const std::string kId = "3f4e9b0c2d1a8e7f6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a";

auto Env(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const char* name) -> const char* {
    auto it = vars.find(name);
    return it == vars.end() ? nullptr : it->second.c_str();
  };
}

TEST(EnvContainer, CgroupPaths) {
  ContainerHint v1 = ParseCgroupHint("12:memory:/docker/" + kId + "\n11:cpu:/docker/" + kId + "\n");
  EXPECT_EQ(v1.runtime, "docker");
  EXPECT_EQ(v1.id, kId);
  EXPECT_EQ(ParseCgroupHint("0::/system.slice/docker-" + kId + ".scope\n").runtime, "docker");
  ContainerHint k8s = ParseCgroupHint("0::/kubepods.slice/kubepods-burstable.slice/"
                                      "kubepods-burstable-pod1a2b.slice/cri-containerd-" + kId + ".scope\n");
  EXPECT_EQ(k8s.runtime, "containerd");
  EXPECT_EQ(k8s.id, kId);
  EXPECT_EQ(ParseCgroupHint("0::/kubepods/burstable/pod0c1d-22/" + kId + "\n").runtime, "kubernetes");
  EXPECT_EQ(ParseCgroupHint("0::/machine.slice/libpod-" + kId + ".scope\n").runtime, "podman");
  EXPECT_EQ(ParseCgroupHint("0::/\n").id, "");                               // cgroup v2 namespace
  EXPECT_EQ(ParseCgroupHint("0::/user.slice/user-1000.slice/session-2.scope\n").id, "");
  EXPECT_EQ(ParseCgroupHint("0::/docker/" + kId + "0\n").id, "");            // 65 digits: not an id
}

TEST(EnvContainer, MountinfoBindMounts) {
  std::string docker = "1208 1190 259:2 /var/lib/docker/containers/" + kId +
                       "/hostname /etc/hostname rw,relatime - ext4 /dev/nvme0n1p2 rw\n";
  EXPECT_EQ(ParseMountinfoHint(docker).runtime, "docker");
  EXPECT_EQ(ParseMountinfoHint(docker).id, kId);
  std::string podman = "600 580 0:44 /home/u/.local/share/containers/storage/overlay-containers/" + kId +
                       "/userdata/hostname /etc/hostname rw - tmpfs tmpfs rw\n";
  EXPECT_EQ(ParseMountinfoHint(podman).runtime, "podman");
  std::string sandbox = "700 680 259:1 /var/lib/containerd/io.containerd.grpc.v1.cri/sandboxes/" + kId +
                        "/hostname /etc/hostname rw - ext4 /dev/sda1 rw\n";
  EXPECT_EQ(ParseMountinfoHint(sandbox).runtime, "containerd");
  EXPECT_EQ(ParseMountinfoHint(sandbox).id, "");  // the pod sandbox, not this container
  // A host running docker sees its containers' shm mounts, but not as its own /etc files.
  EXPECT_EQ(ParseMountinfoHint("900 29 0:55 / /var/lib/docker/containers/" + kId +
                               "/mounts/shm rw - tmpfs shm rw\n").runtime, "");
}

TEST(EnvContainer, PodmanContainerenv) {
  ScratchDir root;
  WriteTestFile(root.path() / "run/.containerenv",
                "engine=\"podman-4.9.3\"\nname=\"train\"\nid=\"" + kId +
                    "\"\nimage=\"docker.io/pytorch/pytorch:2.1.0-cuda12.1-cudnn8-runtime\"\nimageid=\"abc\"\n");
  ContainerInfo c = DetectContainer(root.path().string(), Env({}));
  EXPECT_EQ(c.runtime, "podman");
  EXPECT_EQ(c.id, kId);
  EXPECT_EQ(c.image, "docker.io/pytorch/pytorch:2.1.0-cuda12.1-cudnn8-runtime");
}

TEST(EnvContainer, DockerWithEnvironmentOverrides) {
  ScratchDir root;
  WriteTestFile(root.path() / ".dockerenv", "");
  WriteTestFile(root.path() / "proc/1/cgroup", "0::/\n");
  WriteTestFile(root.path() / "proc/self/mountinfo", "1 0 259:2 /var/lib/docker/containers/" + kId +
                                                         "/resolv.conf /etc/resolv.conf rw - ext4 /dev/x rw\n");
  ContainerInfo c = DetectContainer(root.path().string(), Env({}));
  EXPECT_EQ(c.runtime, "docker");
  EXPECT_EQ(c.id, kId);
  EXPECT_EQ(c.image, "");
  ContainerInfo o = DetectContainer(root.path().string(),
                                    Env({{"GIT_MODEL_IMAGE", "nvcr.io/nvidia/pytorch:24.01-py3"},
                                         {"GIT_MODEL_IMAGE_DIGEST", "sha256:" + kId},
                                         {"GIT_MODEL_CONTAINER_ID", ""}}));
  EXPECT_EQ(o.image, "nvcr.io/nvidia/pytorch:24.01-py3");
  EXPECT_EQ(o.image_digest, "sha256:" + kId);
  EXPECT_EQ(o.id, kId);  // an empty override does not erase
}

TEST(EnvContainer, KubernetesAndNothing) {
  ScratchDir root;
  WriteTestFile(root.path() / "proc/1/cgroup", "0::/kubepods.slice/cri-containerd-" + kId + ".scope\n");
  ContainerInfo k = DetectContainer(root.path().string(), Env({{"KUBERNETES_SERVICE_HOST", "10.0.0.1"}}));
  EXPECT_EQ(k.runtime, "kubernetes");
  EXPECT_EQ(k.id, kId);
  ScratchDir bare;
  ContainerInfo none = DetectContainer(bare.path().string(), Env({}));
  EXPECT_EQ(none.runtime, "");
  EXPECT_EQ(none.id, "");
}

}  // namespace
}  // namespace gitmodel
