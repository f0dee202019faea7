#include "provenance/env_probe.h"

#include <gtest/gtest.h>

namespace gitmodel {
namespace {

TEST(EnvProbe, OsReleaseQuoting) {
  EXPECT_EQ(ParseOsRelease("NAME=\"Ubuntu\"\nPRETTY_NAME=\"Ubuntu 22.04.3 LTS\"\nID=ubuntu\n"), "Ubuntu 22.04.3 LTS");
  EXPECT_EQ(ParseOsRelease("PRETTY_NAME='Rocky Linux 9.3 (Blue Onyx)'"), "Rocky Linux 9.3 (Blue Onyx)");
  EXPECT_EQ(ParseOsRelease("PRETTY_NAME=\"Say \\\"hi\\\"\""), "Say \"hi\"");
  EXPECT_EQ(ParseOsRelease("PRETTY_NAME=Alpine"), "Alpine");
  EXPECT_EQ(ParseOsRelease("NAME=\"Arch\"\nVERSION=\"rolling\"\n"), "Arch rolling");
  EXPECT_EQ(ParseOsRelease("garbage\n\x01\x02"), "");
}

TEST(EnvProbe, CpuModelOnX86AndArm) {
  EXPECT_EQ(ParseCpuModel("processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel\t\t: 1\n"
                          "model name\t: AMD EPYC 7763 64-Core Processor\n\nprocessor\t: 1\n"),
            "AMD EPYC 7763 64-Core Processor");
  // NVIDIA Grace (GH200): no model name, only the implementer and part numbers.
  std::string grace = "processor\t: 0\nBogoMIPS\t: 2000.00\nCPU implementer\t: 0x41\nCPU architecture: 8\n"
                      "CPU variant\t: 0x0\nCPU part\t: 0xd4f\nCPU revision\t: 0\n";
  EXPECT_EQ(ParseCpuModel(grace), "ARM Neoverse-V2");
  EXPECT_EQ(ParseCpuModel("CPU implementer\t: 0x61\nCPU part\t: 0x022\n"), "CPU implementer 0x61 part 0x022");
  EXPECT_EQ(ParseCpuModel("cpu\t\t: POWER9, altivec supported\ncpu MHz\t: 3800\n"), "POWER9, altivec supported");
  EXPECT_EQ(CountCpuProcessors(grace + "\n" + grace), 2);
}

TEST(EnvProbe, CpuListAndMemory) {
  EXPECT_EQ(ParseCpuList("0-255\n"), 256);
  EXPECT_EQ(ParseCpuList("0-3,8-11"), 8);
  EXPECT_EQ(ParseCpuList("0"), 1);
  EXPECT_EQ(ParseCpuList("0,2,4-5"), 4);
  for (const char* bad : {"", "3-1", "a-b", "0-99999999999", "-", "1,,2"}) EXPECT_EQ(ParseCpuList(bad), 0) << bad;
  EXPECT_EQ(ParseMemTotal("MemTotal:       2113645276 kB\nMemFree: 1 kB\n"), 2113645276ull * 1024);
  EXPECT_EQ(ParseMemTotal("MemTotal: lots\n"), 0u);
  EXPECT_EQ(ParseMemTotal("MemTotal: 99999999999999999999 kB\n"), 0u);
}

TEST(EnvProbe, NvidiaSmiQuery) {
  SmiQuery q = ParseNvidiaSmiQuery(
      "NVIDIA A100-SXM4-80GB, 81920, GPU-6d5e8a1c-2b3f-4c5d-9e7f-0a1b2c3d4e5f, 535.104.05\n"
      "NVIDIA A100-SXM4-80GB, 81920, GPU-0f3c2b1a-9e8d-4c7b-a6f5-e4d3c2b1a098, 535.104.05\n");
  ASSERT_EQ(q.gpus.size(), 2u);
  EXPECT_EQ(q.gpus[0].name, "NVIDIA A100-SXM4-80GB");
  EXPECT_EQ(q.gpus[0].memory_bytes, 81920ull << 20);
  EXPECT_EQ(q.gpus[1].uuid, "GPU-0f3c2b1a-9e8d-4c7b-a6f5-e4d3c2b1a098");
  EXPECT_EQ(q.driver, "535.104.05");
  SmiQuery odd = ParseNvidiaSmiQuery("Tesla, Special, 16384, [N/A], 470.1\r\nnot a gpu line\n\n");
  ASSERT_EQ(odd.gpus.size(), 1u);
  EXPECT_EQ(odd.gpus[0].name, "Tesla, Special");
  EXPECT_EQ(odd.gpus[0].uuid, "");
  EXPECT_EQ(odd.gpus[0].memory_bytes, 16384ull << 20);
  EXPECT_EQ(ParseNvidiaSmiQuery("NVIDIA H100 80GB HBM3, [N/A], GPU-x, [Not Supported]").gpus[0].memory_bytes, 0u);
}

TEST(EnvProbe, CudaVersions) {
  EXPECT_EQ(ParseSmiCudaVersion("+------+\n| NVIDIA-SMI 535.104.05             Driver Version: 535.104.05   "
                                "CUDA Version: 12.2     |\n"),
            "12.2");
  EXPECT_EQ(ParseSmiCudaVersion("No devices were found"), "");
  EXPECT_EQ(ParseCudaVersionJson(R"({"cuda": {"name": "CUDA SDK", "version": "12.2.2"}, "nvcc": {}})"), "12.2.2");
  EXPECT_EQ(ParseCudaVersionJson(R"({"cuda": "12"})"), "");
  EXPECT_EQ(ParseCudaVersionJson("{not json"), "");
  EXPECT_EQ(ParseCudaVersionTxt("CUDA Version 11.0.228\n"), "11.0.228");
  EXPECT_EQ(ParseNvccVersion("nvcc: NVIDIA (R) Cuda compiler driver\nCopyright (c) 2005-2025 NVIDIA Corporation\n"
                             "Cuda compilation tools, release 13.0, V13.0.88\nBuild cuda_13.0.r13.0/compiler.3642\n"),
            "13.0.88");
  EXPECT_EQ(ParseNvccVersion("Cuda compilation tools, release 9.2"), "9.2");
}

TEST(EnvProbe, CudnnHeaderAndTorchInteger) {
  EXPECT_EQ(ParseCudnnHeader("#ifndef CUDNN_VERSION_H_\n#define CUDNN_MAJOR 9\n#define CUDNN_MINOR 19\n"
                             "#define CUDNN_PATCHLEVEL 0\n#define CUDNN_VERSION (CUDNN_MAJOR * 10000 + ...)\n"),
            "9.19.0");
  EXPECT_EQ(ParseCudnnHeader("#define CUDNN_MAJOR\t8\n#define CUDNN_MINOR 9\n#define CUDNN_PATCHLEVEL 7\n"), "8.9.7");
  EXPECT_EQ(ParseCudnnHeader("#define CUDNN_MAJOR 8\n#define CUDNN_MINOR 9\n"), "");
  EXPECT_EQ(ParseCudnnHeader("#define CUDNN_MAJOR_X 1\n#define CUDNN_MINOR 1\n#define CUDNN_PATCHLEVEL 1\n"), "");
  EXPECT_EQ(CudnnVersionFromInt(8902), "8.9.2");
  EXPECT_EQ(CudnnVersionFromInt(90100), "9.1.0");
  EXPECT_EQ(CudnnVersionFromInt(7605), "7.6.5");
  EXPECT_EQ(CudnnVersionFromInt(0), "");
}

TEST(EnvProbe, PythonProbeOutput) {
  PythonVersions v = ParsePythonProbe(
      "some warning on stdout\n"
      R"({"python": "3.11.2", "torch": "2.1.0+cu121", "torch_cuda": "12.1", "torch_cudnn": 8902})"
      "\n");
  EXPECT_EQ(v.python, "3.11.2");
  EXPECT_EQ(v.torch, "2.1.0+cu121");
  EXPECT_EQ(v.torch_cuda, "12.1");
  EXPECT_EQ(v.torch_cudnn, "8.9.2");
  PythonVersions odd = ParsePythonProbe(R"({"python": 3, "torch": ")" + std::string(300, 'x') + "\"}");
  EXPECT_EQ(odd.python, "");
  EXPECT_EQ(odd.torch, "");
  EXPECT_EQ(ParsePythonProbe("{truncated").python, "");
}

TEST(EnvProbe, CleanValueRefusesControlCharactersAndHugeValues) {
  EXPECT_EQ(CleanValue("  12.2 \r\n"), "12.2");
  EXPECT_EQ(CleanValue("a\x1b[31mred"), "");
  EXPECT_EQ(CleanValue(std::string(257, 'a')), "");
  EXPECT_EQ(UnderRoot("/", "/etc/os-release"), "/etc/os-release");
  EXPECT_EQ(UnderRoot("/tmp/fake/", "/etc/os-release"), "/tmp/fake/etc/os-release");
}

}  // namespace
}  // namespace gitmodel
