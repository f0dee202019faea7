// `git model scan`: every pickle a file holds, found without unpickling anything.
//
// What is scanned: plain pickles and stacked pickles (the legacy torch.save format: its five
// pickles, not the storage bytes after them); zip archives (torch.save, TorchScript, .pt2, .npz,
// any zip) member by member, as torch's reader sees them (scan_zip.h): members named *.pkl /
// *.pickle / *.debug_pkl, members that start like a pickle whatever their name, nested zips and
// .npy files; .npy object arrays; TorchScript code (reported, not interpreted). Tensor storage
// records of torch archives are raw numbers torch never unpickles and are skipped.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "gitmodel/status.h"
#include "scan/import_policy.h"
#include "scan/scan_result.h"

namespace gitmodel {

struct FileScanOptions {
  const ImportPolicy* policy = nullptr;  // required
  int max_depth = 4;                     // archives inside archives
  size_t max_members = 100000;           // zip members scanned per archive
  uint64_t max_member_bytes = 1ull << 32;  // bytes one member may inflate to
  size_t max_pickles = 1000;             // stacked pickles in one stream
};

// Scans `bytes` (the whole file; `path` names it in the report). Never fails: what cannot be
// scanned becomes a finding.
FileReport ScanBytes(std::span<const std::byte> bytes, std::string path, const FileScanOptions& options);

// Maps the file and scans it. Errors only when the file cannot be opened or mapped.
Result<FileReport> ScanFile(const std::string& path, const FileScanOptions& options);

}  // namespace gitmodel
