// Which container a format keeps its record in, the sidecar, and the checks on record text.
// The zip and safetensors writers are in embed_zip.cc and embed_safetensors.cc.
#include "provenance/embed.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "base/atomic_file.h"
#include "gitmodel/checkpoint.h"
#include "provenance/embed_internal.h"

namespace gitmodel {
namespace {

using embed_internal::ReadZipRecord;
using embed_internal::WriteSafetensorsRecord;
using embed_internal::WriteZipRecord;

RecordLocation PlacementOf(Format format) {
  switch (format) {
    case Format::kTorchZip:
    case Format::kTorchScript:
    case Format::kPt2: return RecordLocation::kZipRecord;
    case Format::kSafetensors: return RecordLocation::kSafetensorsMetadata;
    // No place for extra data that every reader is known to skip (legacy pickle streams,
    // model.json archives, plain pickles), or not one file (an index of shards).
    case Format::kTorchLegacy:
    case Format::kTorchScriptLegacy:
    case Format::kShardedIndex:
    case Format::kPickle: return RecordLocation::kSidecar;
  }
  return RecordLocation::kSidecar;
}

std::string MetadataWhere() { return fmt::format("__metadata__[{}]", kRecordMetadataKey); }

// `what` is too big, or not a JSON object (the lexer also checks the UTF-8).
Status CheckRecordText(std::string_view text, Code not_object, std::string_view what) {
  if (text.size() > kMaxEmbeddedRecordBytes)
    return LimitExceeded("{} has {} bytes, over the {} byte (16 MiB) limit", what, text.size(),
                         kMaxEmbeddedRecordBytes);
  size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos || text[first] != '{' || !nlohmann::json::accept(text))
    return Status(not_object, fmt::format("{} is not a JSON object in UTF-8", what));
  return OkStatus();
}

std::string AbsolutePath(const std::string& path) {
  std::error_code ec;
  auto absolute = std::filesystem::absolute(path, ec);
  return ec ? path : absolute.lexically_normal().string();
}

// A symbolic link is kept: the file it names is the one replaced.
std::string FollowLink(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_symlink(path, ec)) return path;
  auto target = std::filesystem::canonical(path, ec);
  return ec ? path : target.string();
}

Result<EmbeddedRecord> ReadSidecar(const std::string& path) {
  const std::string sidecar = SidecarPath(path);
  struct stat st {};
  if (stat(sidecar.c_str(), &st) != 0) {
    if (errno == ENOENT) return EmbeddedRecord{};
    return IOError("{}: cannot stat: {}", sidecar, std::strerror(errno));
  }
  GM_ASSIGN_OR_RETURN(std::string text, ReadSmallFile(sidecar, kMaxEmbeddedRecordBytes));
  return EmbeddedRecord{RecordLocation::kSidecar, std::move(text), AbsolutePath(sidecar)};
}

// The sidecar gets the checkpoint's read/write permission bits.
Result<EmbeddedRecord> WriteSidecar(const std::string& path, std::string_view record) {
  struct stat st {};
  unsigned mode = stat(path.c_str(), &st) == 0 ? (st.st_mode & 0666) : 0644;
  const std::string sidecar = SidecarPath(path);
  GM_RETURN_IF_ERROR(WriteFileAtomically(sidecar, record, mode));
  return EmbeddedRecord{RecordLocation::kSidecar, std::string(record), AbsolutePath(sidecar)};
}

// The record inside the file, if its format has a place for one.
Result<EmbeddedRecord> ReadInFile(const std::string& path) {
  GM_ASSIGN_OR_RETURN(std::unique_ptr<Checkpoint> checkpoint, Checkpoint::Open(path));
  switch (PlacementOf(checkpoint->format())) {
    case RecordLocation::kZipRecord:
      checkpoint.reset();
      return ReadZipRecord(path);
    case RecordLocation::kSafetensorsMetadata:
      for (const FormatDetail& d : checkpoint->details()) {
        if (d.key == fmt::format("metadata.{}", kRecordMetadataKey))
          return EmbeddedRecord{RecordLocation::kSafetensorsMetadata, d.value, MetadataWhere()};
      }
      return EmbeddedRecord{};
    default: return EmbeddedRecord{};
  }
}

}  // namespace

std::string_view RecordLocationName(RecordLocation location) {
  switch (location) {
    case RecordLocation::kNone: return "none";
    case RecordLocation::kZipRecord: return "zip-record";
    case RecordLocation::kSafetensorsMetadata: return "safetensors-metadata";
    case RecordLocation::kSidecar: return "sidecar";
  }
  return "unknown";
}

std::string SidecarPath(const std::string& checkpoint_path) {
  return checkpoint_path + std::string(kSidecarSuffix);
}

namespace embed_internal {

Result<SourceFile> SourceFile::Open(const std::string& path, uint64_t expected_size) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return IOError("{}: cannot open: {}", path, std::strerror(errno));
  SourceFile file(fd);
  struct stat st {};
  if (fstat(fd, &st) != 0) return IOError("{}: cannot stat: {}", path, std::strerror(errno));
  if (static_cast<uint64_t>(st.st_size) != expected_size)
    return Status(Code::kConflict, fmt::format("{}: the file changed while the record was being written "
                                               "({} bytes, then {})", path, expected_size, st.st_size));
  return file;
}

SourceFile::~SourceFile() {
  if (fd_ >= 0) close(fd_);
}

}  // namespace embed_internal

Result<EmbeddedRecord> ReadEmbeddedRecord(const std::string& path) {
  GM_ASSIGN_OR_RETURN(EmbeddedRecord found, ReadInFile(path));
  if (found.location == RecordLocation::kNone) {
    GM_ASSIGN_OR_RETURN(found, ReadSidecar(path));
  }
  if (found.location != RecordLocation::kNone) {
    GM_RETURN_IF_ERROR(CheckRecordText(found.json, Code::kCorrupt, fmt::format("{}: record {}", path, found.where)));
  }
  return found;
}

Result<EmbeddedRecord> WriteEmbeddedRecord(const std::string& path, std::string_view record_json) {
  GM_RETURN_IF_ERROR(CheckRecordText(record_json, Code::kInvalidArgument, "the provenance record"));
  RecordLocation placement;
  {
    GM_ASSIGN_OR_RETURN(std::unique_ptr<Checkpoint> checkpoint, Checkpoint::Open(path));
    placement = PlacementOf(checkpoint->format());
  }  // unmapped before the file is replaced
  switch (placement) {
    case RecordLocation::kZipRecord: return WriteZipRecord(FollowLink(path), record_json);
    case RecordLocation::kSafetensorsMetadata: return WriteSafetensorsRecord(FollowLink(path), record_json);
    default: return WriteSidecar(path, record_json);
  }
}

}  // namespace gitmodel
