// Embedding a provenance record in a checkpoint file, and reading it back.
//
// The record is a JSON object (UTF-8 text, at most kMaxEmbeddedRecordBytes), opaque to this
// layer. Where it goes depends on the format (docs/formats.md, "Embedded provenance records"):
//   torch.save zip, TorchScript, .pt2   zip entry "<prefix>/git-model/provenance.json", stored,
//                                       data 64-byte aligned, the last entry before the directory
//   safetensors                         __metadata__["git-model.provenance"]
//   legacy torch, legacy TorchScript,   a sidecar file beside it: path + ".git-model.json"
//   plain pickle, sharded index
// torch.load, torch.jit.load and safetensors readers load a stamped file as before, with
// bit-identical tensors; Checkpoint::Open lists the same tensors.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "gitmodel/status.h"

namespace gitmodel {

inline constexpr uint64_t kMaxEmbeddedRecordBytes = 16ull << 20;  // 16 MiB
inline constexpr std::string_view kRecordEntryName = "git-model/provenance.json";  // after "<prefix>/"
inline constexpr std::string_view kRecordMetadataKey = "git-model.provenance";
inline constexpr std::string_view kSidecarSuffix = ".git-model.json";

enum class RecordLocation { kNone, kZipRecord, kSafetensorsMetadata, kSidecar };
std::string_view RecordLocationName(RecordLocation location);  // "none", "zip-record", ...

struct EmbeddedRecord {
  RecordLocation location = RecordLocation::kNone;
  std::string json;   // the record's text, exactly as written
  std::string where;  // "archive/git-model/provenance.json", "__metadata__[git-model.provenance]",
                      // or the sidecar's absolute path ("/abs/x.pt.git-model.json")
};

// The sidecar path of `checkpoint_path`: the path with ".git-model.json" appended.
std::string SidecarPath(const std::string& checkpoint_path);

// Reads the record of the checkpoint at `path`: the one inside the file if its format embeds
// records and it has one, else the sidecar if it exists. No record anywhere: location kNone (not
// an error). Errors: the file is not a checkpoint or is malformed (Checkpoint::Open's errors,
// naming the file), a record that is not a JSON object (kCorrupt) or is larger than
// kMaxEmbeddedRecordBytes (kLimit), kIO.
Result<EmbeddedRecord> ReadEmbeddedRecord(const std::string& path);

// Writes `record_json` into the checkpoint at `path` (or its sidecar), replacing any record
// written before, and returns where it went. The file is rewritten atomically: a temp file in
// the same folder with the same permission bits, fsync, rename; tensor data is copied in the
// kernel (copy_file_range), never decoded. A symbolic link is followed: the file it names is
// replaced and the link kept. On any error the original file is untouched.
// Preconditions: nothing else writes `path` meanwhile (a size change is detected: kConflict).
// Errors: kInvalidArgument (record not a JSON object in UTF-8), kLimit (record over
// kMaxEmbeddedRecordBytes, or a safetensors header that would exceed 100,000,000 bytes),
// Checkpoint::Open's errors for files that are not checkpoints, kIO (e.g. a read-only folder).
Result<EmbeddedRecord> WriteEmbeddedRecord(const std::string& path, std::string_view record_json);

}  // namespace gitmodel
