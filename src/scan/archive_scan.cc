// Zip archives for ScanFile: which members are pickles, TorchScript code, nested archives.
#include <fmt/core.h>

#include <algorithm>
#include <set>

#include "scan/file_scan_internal.h"
#include "scan/pickle_scan.h"
#include "scan/scan_zip.h"

namespace gitmodel::scan_internal {
namespace {

constexpr size_t kMaxListedCodeFiles = 50;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return out;
}

std::string_view Prefix(std::string_view name) {
  size_t slash = name.find('/');
  return slash == std::string_view::npos ? std::string_view() : name.substr(0, slash);
}

std::string_view Record(std::string_view name) {
  size_t slash = name.find('/');
  return slash == std::string_view::npos ? name : name.substr(slash + 1);
}

// What torch would see: the archive prefixes that hold a torch record set, and TorchScript code.
struct Layout {
  std::set<std::string> torch_prefixes;   // lower-cased
  std::vector<std::string> code_files;    // "<prefix>/code/....py"
};

bool IsCodeSource(std::string_view name) {
  std::string lower = Lower(Record(name));
  return lower.starts_with("code/") && lower.ends_with(".py");
}

Layout Classify(const std::vector<ScanZipEntry>& entries) {
  Layout layout;
  for (const ScanZipEntry& e : entries) {
    std::string record = Lower(Record(e.name));
    if (record == "data.pkl" || record == "constants.pkl" || record == "model.json" || record == "version" ||
        record == ".data/version")
      layout.torch_prefixes.insert(Lower(Prefix(e.name)));
    if (IsCodeSource(e.name)) layout.code_files.push_back(e.name);
  }
  return layout;
}

// Raw tensor bytes and small text records of a torch archive: torch never unpickles them.
bool IsTorchRawRecord(const Layout& layout, std::string_view name) {
  if (!layout.torch_prefixes.contains(Lower(Prefix(name)))) return false;
  std::string record = Lower(Record(name));
  for (std::string_view dir : {"data/", "constants/", "tensors/", ".data/"})
    if (record.starts_with(dir)) return true;
  return record == "version" || record == "byteorder";
}

bool HasPickleName(std::string_view name) {
  std::string lower = Lower(name);
  for (std::string_view ext : {".pkl", ".pickle", ".debug_pkl", ".joblib", ".dat"})
    if (lower.ends_with(ext)) return true;
  return false;
}

void ReportCode(ScanState& s, const std::string& member, const Layout& layout) {
  if (layout.code_files.empty()) return;
  std::string list;
  for (size_t i = 0; i < layout.code_files.size() && i < kMaxListedCodeFiles; ++i)
    list += (i ? ", " : "") + layout.code_files[i];
  if (layout.code_files.size() > kMaxListedCodeFiles)
    list += fmt::format(" and {} more", layout.code_files.size() - kMaxListedCodeFiles);
  AddNote(s, member, Severity::kCode,
          fmt::format("contains TorchScript code, which runs when loaded ({} files): {}", layout.code_files.size(), list));
}

void ScanMember(ScanState& s, std::span<const std::byte> archive, const ScanZipEntry& e, const std::string& child,
                bool torchscript, int depth) {
  std::vector<std::byte> owned;
  auto data = ReadZipMember(archive, e, s.options.max_member_bytes, &owned);
  const bool named = HasPickleName(e.name);
  if (!data.ok()) {
    AddNote(s, child, named ? Severity::kUnknown : Severity::kInfo, fmt::format("not scanned: {}", data.status().message()));
    return;
  }
  if ((LooksLikeZip(*data) && OpenZipForScan(*data, 1).ok()) || IsNpy(*data))
    return ScanContent(s, *data, child, depth + 1);
  if (named || StartsWithProto(*data)) {
    ScanPickleStream(s, *data, child, torchscript, true);
  } else if (!data->empty() && IsPickleOpcode(static_cast<uint8_t>((*data)[0]))) {
    ScanPickleStream(s, *data, child, torchscript, false);  // kept only if it parses to STOP
  }
}

}  // namespace

void ScanArchive(ScanState& s, std::span<const std::byte> bytes, const std::string& member, int depth) {
  auto zip = OpenZipForScan(bytes, s.options.max_members);
  if (!zip.ok()) return AddNote(s, member, Severity::kUnknown, fmt::format("zip not scanned: {}", zip.status().message()));
  if (!zip->strict_error.empty())
    AddNote(s, member, Severity::kInfo,
            fmt::format("zip is malformed for strict readers ({}); scanned the way torch reads it", zip->strict_error));
  if (zip->skipped)
    AddNote(s, member, Severity::kUnknown, fmt::format("{} zip members not scanned (over the limit, or data outside the file)", zip->skipped));
  const Layout layout = Classify(zip->entries);
  ReportCode(s, member, layout);
  for (const ScanZipEntry& e : zip->entries) {
    if (e.name.ends_with('/') || IsCodeSource(e.name) || IsTorchRawRecord(layout, e.name)) continue;
    if (e.flags & 0x61)
      AddNote(s, member.empty() ? e.name : member + "!" + e.name, Severity::kInfo,
              fmt::format("zip flag bits 0x{:04x} (encryption/patch) ignored, as torch's reader ignores them", e.flags & 0x61));
    ScanMember(s, bytes, e, member.empty() ? e.name : member + "!" + e.name, !layout.code_files.empty(), depth);
  }
}

}  // namespace gitmodel::scan_internal
