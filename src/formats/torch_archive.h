// PyTorch's view of a zip archive (torch.save since 1.6, TorchScript, ...), following the rules of
// caffe2::serialize::PyTorchStreamReader, and stricter where torch's behaviour is undefined.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "formats/zip_reader.h"
#include "gitmodel/status.h"

namespace gitmodel {

// Borrows `file` like ZipArchive: valid while those bytes are. Immutable after Open.
class TorchArchive {
 public:
  // Opens the zip (ZipArchive::Open's checks), then applies torch's rules: the prefix is the text
  // before the first '/' of the FIRST central-directory entry and must be non-empty; every entry
  // must start with "<prefix>/" (compared byte-exactly, as torch's getAllRecords does: torch
  // refuses such files); names that are equal after ASCII case folding are duplicates and an
  // error (torch's lookup is case-insensitive, so which one it reads is undefined); encrypted
  // entries are an error. CRCs are not checked (torch does not).
  // `headers`: as for ZipArchive::Open.
  static Result<TorchArchive> Open(std::span<const std::byte> file, const PositionalReader* headers = nullptr);

  // The archive prefix, without the trailing '/'.
  const std::string& prefix() const { return prefix_; }
  const ZipArchive& zip() const { return zip_; }

  // The entry named "<prefix>/<record_name>", compared case-insensitively (ASCII) as torch's miniz
  // lookup does; nullptr if absent. The pointer is valid while this TorchArchive lives.
  const ZipEntry* Find(std::string_view record_name) const;

  // The bytes of record `e` (an entry of zip()). Stored records are returned zero-copy; deflated
  // ones are inflated into *owned (replacing its contents; kLimit when over `max_output` bytes)
  // and the returned span views *owned. Other methods are kUnsupported.
  Result<std::span<const std::byte>> Read(const ZipEntry& e, std::vector<std::byte>* owned,
                                          uint64_t max_output) const;

  // Record names (entry names without "<prefix>/"), in central-directory order. Directory
  // entries (names ending in '/', as `zip -r` adds) are not records and are left out.
  std::vector<std::string> RecordNames() const;

 private:
  TorchArchive(ZipArchive zip, std::string prefix) : zip_(std::move(zip)), prefix_(std::move(prefix)) {}
  Status IndexEntries();

  ZipArchive zip_;
  std::string prefix_;
  std::unordered_map<std::string, size_t> by_folded_name_;  // folded full name -> entry index
};

}  // namespace gitmodel
