// Pieces of CaptureEnv (env_capture.h): bounded reads of probe files and parsers of what the
// probes print. Parsers never fail: what they do not recognise is unknown ("" or 0). Values are
// cleaned: trimmed, at most 256 bytes, no control characters (else unknown).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "provenance/env_info.h"

namespace gitmodel {

// `absolute` ("/etc/os-release") below `root` ("/" or a fake tree).
std::string UnderRoot(const std::string& root, std::string_view absolute);
// The first `max_bytes` of a regular file (reads /proc files, whose st_size is 0); "" when it is
// missing, unreadable or not a regular file. Never blocks on FIFOs.
std::string ReadProbeFile(const std::string& path, size_t max_bytes = 1 << 20);
bool PathExists(const std::string& path);

std::string CleanValue(std::string_view text);

std::string ParseOsRelease(std::string_view text);        // PRETTY_NAME, else NAME + VERSION
std::string ParseCpuModel(std::string_view cpuinfo);      // model name (x86), CPU part (Arm)...
int CountCpuProcessors(std::string_view cpuinfo);         // "processor" lines
int ParseCpuList(std::string_view list);                  // "0-3,8-11\n" -> 8
uint64_t ParseMemTotal(std::string_view meminfo);         // bytes

struct SmiQuery {
  std::vector<GpuInfo> gpus;
  std::string driver;
};
// `nvidia-smi --query-gpu=name,memory.total,uuid,driver_version --format=csv,noheader,nounits`
SmiQuery ParseNvidiaSmiQuery(std::string_view csv);
std::string ParseSmiCudaVersion(std::string_view smi_output);  // "CUDA Version: 12.2" -> "12.2"

std::string ParseCudaVersionJson(std::string_view text);  // version.json: cuda.version
std::string ParseCudaVersionTxt(std::string_view text);   // "CUDA Version 10.2.89"
std::string ParseNvccVersion(std::string_view text);      // "..., V12.2.140" -> "12.2.140"
std::string ParseCudnnHeader(std::string_view text);      // CUDNN_MAJOR/MINOR/PATCHLEVEL -> "8.9.7"
std::string CudnnVersionFromInt(int64_t version);         // 8902 -> "8.9.2", 90100 -> "9.1.0"

struct PythonVersions {
  std::string python, torch, torch_cuda, torch_cudnn;
};
// The program `python3 -c` runs: prints one JSON line; imports torch only when asked, and a
// missing or broken torch leaves the torch keys out. The current directory is dropped from
// sys.path first so that a stray json.py or torch.py there is not imported.
std::string PythonProbeScript(bool import_torch);
PythonVersions ParsePythonProbe(std::string_view output);  // the last line starting with '{'

}  // namespace gitmodel
