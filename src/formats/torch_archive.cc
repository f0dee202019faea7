#include "formats/torch_archive.h"

namespace gitmodel {
namespace {

// miniz compares names with tolower() in the C locale: ASCII only.
std::string FoldCase(std::string_view name) {
  std::string out(name);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool IsDirectoryEntry(const ZipEntry& e) { return e.name.ends_with('/'); }

Result<std::string> PrefixOf(const ZipArchive& zip) {
  if (zip.entries().empty()) return Corrupt("zip archive has no entries; a torch archive needs records");
  const std::string& first = zip.entries().front().name;
  const size_t slash = first.find('/');
  if (slash == std::string::npos || slash == 0) {
    return Corrupt("first zip entry {} is not inside an archive folder (torch expects '<prefix>/...')",
                   QuoteZipName(first));
  }
  return first.substr(0, slash);
}

}  // namespace

Result<TorchArchive> TorchArchive::Open(std::span<const std::byte> file, const PositionalReader* headers) {
  GM_ASSIGN_OR_RETURN(ZipArchive zip, ZipArchive::Open(file, headers));
  GM_ASSIGN_OR_RETURN(std::string prefix, PrefixOf(zip));
  TorchArchive archive(std::move(zip), std::move(prefix));
  GM_RETURN_IF_ERROR(archive.IndexEntries());
  return archive;
}

Status TorchArchive::IndexEntries() {
  const std::string prefix_slash = prefix_ + "/";
  const std::vector<ZipEntry>& entries = zip_.entries();
  by_folded_name_.reserve(entries.size());
  for (size_t i = 0; i < entries.size(); ++i) {
    const ZipEntry& e = entries[i];
    if (!e.name.starts_with(prefix_slash)) {
      return Corrupt("zip entry {} is outside the archive prefix {}", QuoteZipName(e.name),
                     QuoteZipName(prefix_slash));
    }
    if (e.flags & (kZipFlagEncrypted | kZipFlagStrongEncryption)) return Unsupported("zip entry {} is encrypted", QuoteZipName(e.name));
    auto [it, inserted] = by_folded_name_.emplace(FoldCase(e.name), i);
    if (!inserted) {
      const std::string& other = entries[it->second].name;
      if (other == e.name) return Corrupt("duplicate zip entry {}", QuoteZipName(e.name));
      return Corrupt("duplicate zip entry {} (same as {} ignoring case, as torch compares names)",
                     QuoteZipName(e.name), QuoteZipName(other));
    }
  }
  return OkStatus();
}

const ZipEntry* TorchArchive::Find(std::string_view record_name) const {
  std::string key = FoldCase(prefix_);
  key += '/';
  key += FoldCase(record_name);
  auto it = by_folded_name_.find(key);
  return it == by_folded_name_.end() ? nullptr : &zip_.entries()[it->second];
}

Result<std::span<const std::byte>> TorchArchive::Read(const ZipEntry& e, std::vector<std::byte>* owned,
                                                      uint64_t max_output) const {
  if (e.method == kZipMethodStored) return zip_.StoredData(e);
  if (e.method != kZipMethodDeflated) {
    return Unsupported("zip entry {} uses compression method {}; torch archives use stored (0) or "
                       "deflate (8)", QuoteZipName(e.name), e.method);
  }
  GM_ASSIGN_OR_RETURN(*owned, zip_.Inflate(e, max_output));
  return std::span<const std::byte>(*owned);
}

std::vector<std::string> TorchArchive::RecordNames() const {
  std::vector<std::string> names;
  names.reserve(zip_.entries().size());
  for (const ZipEntry& e : zip_.entries()) {
    if (!IsDirectoryEntry(e)) names.push_back(e.name.substr(prefix_.size() + 1));
  }
  return names;
}

}  // namespace gitmodel
