// Fuzz target: the zip reader and PyTorch's view of it. Opens the input as a ZipArchive and as a
// TorchArchive, then reads every entry / record (stored ones zero-copy, deflated ones inflated
// under a small output limit so a bomb costs nothing).
#include <vector>

#include "formats/torch_archive.h"
#include "formats/zip_reader.h"
#include "fuzz_input.h"

namespace {

constexpr uint64_t kMaxInflate = 1u << 20;

void ReadZip(std::span<const std::byte> bytes) {
  auto zip = gitmodel::ZipArchive::Open(bytes);
  if (!zip.ok()) return;
  for (const gitmodel::ZipEntry& e : zip->entries()) {
    (void)zip->DataOffset(e);
    if (e.method == gitmodel::kZipMethodStored) {
      if (auto data = zip->StoredData(e); data.ok()) gitmodel::fuzz::Touch(*data);
    } else if (auto data = zip->Inflate(e, kMaxInflate); data.ok()) {
      gitmodel::fuzz::Touch(*data);
    }
  }
}

void ReadTorchArchive(std::span<const std::byte> bytes) {
  auto archive = gitmodel::TorchArchive::Open(bytes);
  if (!archive.ok()) return;
  for (const std::string& name : archive->RecordNames()) {
    const gitmodel::ZipEntry* e = archive->Find(name);
    if (!e) __builtin_trap();  // every listed record must be found by its own name
    std::vector<std::byte> owned;
    if (auto data = archive->Read(*e, &owned, kMaxInflate); data.ok()) gitmodel::fuzz::Touch(*data);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto bytes = gitmodel::fuzz::AsBytes(data, size);
  ReadZip(bytes);
  ReadTorchArchive(bytes);
  return 0;
}
