// Shared by file_scan.cc and archive_scan.cc. Internal to src/scan.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "scan/file_scan.h"

namespace gitmodel::scan_internal {

struct ScanState {
  const FileScanOptions& options;
  FileReport& report;
};

void AddNote(ScanState& s, std::string_view member, Severity sev, std::string message);

// Whatever `bytes` is (zip, npy, 7z, pickle stream); `member` names it ("" for the file).
void ScanContent(ScanState& s, std::span<const std::byte> bytes, const std::string& member, int depth);

// Stacked pickles from the start of `bytes`. `sure` = known to be a pickle (by name or place):
// a malformed one is reported; otherwise bytes that do not parse to STOP are not a pickle and
// yield nothing. Returns true when at least one pickle was scanned.
bool ScanPickleStream(ScanState& s, std::span<const std::byte> bytes, const std::string& member,
                      bool torchscript, bool sure);

// True when `bytes` starts with PROTO 2..5 (how pickles of protocol 2 and later begin).
bool StartsWithProto(std::span<const std::byte> bytes);

// True when `bytes` starts with numpy's .npy magic.
bool IsNpy(std::span<const std::byte> bytes);

void ScanArchive(ScanState& s, std::span<const std::byte> bytes, const std::string& member, int depth);

}  // namespace gitmodel::scan_internal
