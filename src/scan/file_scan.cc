// Format dispatch and pickle streams for ScanFile (file_scan.h).
#include "scan/file_scan.h"

#include <fmt/core.h>

#include <cstring>

#include "base/mapped_file.h"
#include "scan/file_scan_internal.h"
#include "scan/pickle_scan.h"
#include "scan/scan_zip.h"

namespace gitmodel {
namespace scan_internal {
namespace {

// torch's legacy MAGIC_NUMBER pickle: PROTO 2, LONG1 of 10 bytes, STOP.
constexpr unsigned char kLegacyMagic[] = {0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46,
                                          0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, 0x2e};
constexpr size_t kLegacyPickles = 5;  // magic, protocol, sys_info, the object, storage keys

bool StartsWith(std::span<const std::byte> bytes, const void* prefix, size_t n) {
  return bytes.size() >= n && std::memcmp(bytes.data(), prefix, n) == 0;
}

// Pickles that parse to STOP but are not `sure` are kept only then: a text file that happens to
// start with a pickle opcode (TorchScript's "class ..." starts with GLOBAL) yields nothing.
bool ScanOne(ScanState& s, std::span<const std::byte> bytes, uint64_t base, const std::string& member,
             bool torchscript, bool sure, PickleScanOutcome* outcome) {
  PickleScanOptions po;
  po.policy = s.options.policy;
  po.member = member;
  po.base_offset = base;
  po.torchscript = torchscript;
  std::vector<Finding> found;
  *outcome = ScanPickle(bytes, po, &found);
  if (!sure && !outcome->reached_stop) return false;
  for (Finding& f : found) s.report.Add(std::move(f));
  if (!outcome->not_a_pickle) ++s.report.pickles;
  return true;
}

// .npy: magic, version, header length, a Python-literal header; object arrays are a pickle.
void ScanNpy(ScanState& s, std::span<const std::byte> bytes, const std::string& member) {
  if (bytes.size() < 10) return AddNote(s, member, Severity::kInfo, "truncated .npy header");
  const auto major = static_cast<uint8_t>(bytes[6]);
  uint64_t header_len = 0, start = 0;
  if (major == 1) {
    header_len = static_cast<uint8_t>(bytes[8]) | (static_cast<uint64_t>(static_cast<uint8_t>(bytes[9])) << 8);
    start = 10;
  } else if (bytes.size() >= 12) {
    uint32_t v;
    std::memcpy(&v, bytes.data() + 8, 4);
    header_len = v;
    start = 12;
  }
  if (start == 0 || header_len > bytes.size() - start) return AddNote(s, member, Severity::kInfo, "truncated .npy header");
  std::string_view header(reinterpret_cast<const char*>(bytes.data() + start), header_len);
  auto data = bytes.subspan(start + header_len);
  const bool object = header.find("'|O'") != header.npos || header.find("'O'") != header.npos ||
                      header.find("'<O'") != header.npos || header.find("'>O'") != header.npos;
  if (object || StartsWithProto(data)) ScanPickleStream(s, data, member, false, true);
}

// 7z: no decoder here. Uncompressed (copy or LZMA2 stored-chunk) data is searched for pickles of
// protocol 2+; compressed contents stay unscanned, which is reported.
void Scan7z(ScanState& s, std::span<const std::byte> bytes, const std::string& member) {
  size_t found = 0;
  for (size_t i = 0; i + 2 <= bytes.size() && found < 100; ++i) {
    if (!StartsWithProto(bytes.subspan(i))) continue;
    PickleScanOutcome outcome;
    if (ScanOne(s, bytes.subspan(i), i, member, false, false, &outcome)) ++found;
  }
  AddNote(s, member, Severity::kUnknown,
          fmt::format("7z archive: torch cannot load it and it is not decoded here; {} uncompressed pickle(s) found "
                      "in it were scanned, compressed contents were not", found));
}

// safetensors: u64 LE header length, then a JSON object filling it.
bool IsSafetensors(std::span<const std::byte> bytes) {
  if (bytes.size() < 10) return false;
  uint64_t n;
  std::memcpy(&n, bytes.data(), 8);
  return n >= 2 && n <= bytes.size() - 8 && bytes[8] == std::byte{'{'};
}

}  // namespace

void AddNote(ScanState& s, std::string_view member, Severity sev, std::string message) {
  s.report.Add(Finding{sev, std::string(member), 0, false, "", std::move(message)});
}

bool IsNpy(std::span<const std::byte> bytes) {
  static constexpr unsigned char kNpy[] = {0x93, 'N', 'U', 'M', 'P', 'Y'};
  return StartsWith(bytes, kNpy, sizeof(kNpy));
}

bool StartsWithProto(std::span<const std::byte> bytes) {
  return bytes.size() >= 2 && bytes[0] == std::byte{0x80} && static_cast<uint8_t>(bytes[1]) >= 2 &&
         static_cast<uint8_t>(bytes[1]) <= 5;
}

bool ScanPickleStream(ScanState& s, std::span<const std::byte> bytes, const std::string& member,
                      bool torchscript, bool sure) {
  const bool legacy = StartsWith(bytes, kLegacyMagic, sizeof(kLegacyMagic));
  uint64_t pos = 0;
  size_t count = 0;
  bool malformed = false;
  while (pos < bytes.size() && count < s.options.max_pickles) {
    PickleScanOutcome outcome;
    if (!ScanOne(s, bytes.subspan(pos), pos, member, torchscript, sure, &outcome)) break;
    if (outcome.not_a_pickle) {
      if (count == 0) AddNote(s, member, Severity::kInfo, "not a pickle (nor a zip or .npy file): nothing to scan");
      break;
    }
    ++count;
    if (!outcome.reached_stop) {
      AddNote(s, member, Severity::kInfo, fmt::format("malformed pickle ({}); what precedes it was scanned", outcome.error));
      malformed = true;
      break;
    }
    pos += outcome.consumed;
    if (legacy && count == kLegacyPickles) break;  // the rest is raw storage bytes
  }
  if (legacy && s.report.format == "pickle") s.report.format = "torch-legacy";
  if (!legacy && !malformed && count > 0 && pos < bytes.size())
    AddNote(s, member, Severity::kInfo, fmt::format("{} bytes after the last pickle (offset {}) are not a pickle", bytes.size() - pos, pos));
  return count > 0;
}

void ScanContent(ScanState& s, std::span<const std::byte> bytes, const std::string& member, int depth) {
  static constexpr unsigned char k7z[] = {'7', 'z', 0xbc, 0xaf, 0x27, 0x1c};
  const bool top = member.empty();
  if (LooksLikeZip(bytes) && OpenZipForScan(bytes, 1).ok()) {
    if (top) s.report.format = "zip";
    if (depth >= s.options.max_depth) return AddNote(s, member, Severity::kUnknown, "archive nested too deep: not scanned");
    return ScanArchive(s, bytes, member, depth);
  }
  if (IsNpy(bytes)) {
    if (top) s.report.format = "npy";
    return ScanNpy(s, bytes, member);
  }
  if (StartsWith(bytes, k7z, sizeof(k7z))) {
    if (top) s.report.format = "7z";
    return Scan7z(s, bytes, member);
  }
  if (IsSafetensors(bytes)) {
    if (top) s.report.format = "safetensors";
    return AddNote(s, member, Severity::kInfo, "safetensors: a JSON header and raw tensors, no pickle");
  }
  if (top) s.report.format = "pickle";
  if (bytes.empty()) return AddNote(s, member, Severity::kInfo, "empty: nothing to scan");
  ScanPickleStream(s, bytes, member, false, true);
  if (top && s.report.pickles == 0) s.report.format = "unknown";
}

}  // namespace scan_internal

FileReport ScanBytes(std::span<const std::byte> bytes, std::string path, const FileScanOptions& options) {
  FileReport report;
  report.path = std::move(path);
  scan_internal::ScanState state{options, report};
  scan_internal::ScanContent(state, bytes, "", 0);
  return report;
}

Result<FileReport> ScanFile(const std::string& path, const FileScanOptions& options) {
  GM_ASSIGN_OR_RETURN(std::unique_ptr<MappedFile> file, MappedFile::Open(path));
  return ScanBytes(file->bytes(), path, options);
}

}  // namespace gitmodel
