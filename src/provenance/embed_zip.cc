// The record as a zip entry "<prefix>/git-model/provenance.json" of a torch archive.
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/atomic_file.h"
#include "base/byte_reader.h"
#include "base/mapped_file.h"
#include "formats/torch_archive.h"
#include "formats/zip_writer.h"
#include "provenance/embed_internal.h"

namespace gitmodel::embed_internal {
namespace {

constexpr uint64_t kLocalHeaderSize = 30;

struct OpenArchive {
  std::unique_ptr<MappedFile> file;  // the archive borrows its bytes
  TorchArchive archive;
};

Result<OpenArchive> OpenTorchArchive(const std::string& path) {
  GM_ASSIGN_OR_RETURN(std::unique_ptr<MappedFile> file, MappedFile::Open(path));
  auto archive = TorchArchive::Open(file->bytes(), file.get());
  if (!archive.ok()) return archive.status().WithContext(path);
  return OpenArchive{std::move(file), std::move(archive).value()};
}

// The central directory's view of `e`, with the version and DOS time of its local header (the
// central-only fields, version made by and attributes, are written as torch writes them: 0).
Result<ZipEntryMeta> MetaOf(const SourceFile& source, const ZipEntry& e) {
  std::byte local[kLocalHeaderSize];
  ssize_t n = pread(source.fd(), local, sizeof(local), static_cast<off_t>(e.local_header_offset));
  if (n != static_cast<ssize_t>(sizeof(local)))
    return IOError("cannot read the local header of zip entry {}: {}", QuoteZipName(e.name),
                   n < 0 ? std::strerror(errno) : "short read");
  ByteView header(local);
  return ZipEntryMeta{.name = e.name,
                      .version_needed = *header.Read<uint16_t>(4),
                      .flags = e.flags,
                      .method = e.method,
                      .mod_time = *header.Read<uint16_t>(10),
                      .mod_date = *header.Read<uint16_t>(12),
                      .crc32 = e.crc32,
                      .compressed_size = e.compressed_size,
                      .uncompressed_size = e.uncompressed_size};
}

Status CopyEntries(const TorchArchive& archive, const SourceFile& source, const ZipEntry* skip,
                   AlignedZipWriter& zip) {
  for (const ZipEntry& e : archive.zip().entries()) {
    if (&e == skip) continue;
    GM_ASSIGN_OR_RETURN(ZipEntryMeta meta, MetaOf(source, e));
    GM_RETURN_IF_ERROR(zip.AddCopiedEntry(source.fd(), meta, e.data_offset));
  }
  return OkStatus();
}

}  // namespace

Result<EmbeddedRecord> ReadZipRecord(const std::string& path) {
  GM_ASSIGN_OR_RETURN(OpenArchive open, OpenTorchArchive(path));
  const ZipEntry* e = open.archive.Find(kRecordEntryName);
  if (!e) return EmbeddedRecord{};
  if (e->uncompressed_size > kMaxEmbeddedRecordBytes)
    return LimitExceeded("{}: record {} has {} bytes, over the {} byte limit", path, QuoteZipName(e->name),
                         e->uncompressed_size, kMaxEmbeddedRecordBytes);
  std::vector<std::byte> owned;
  auto bytes = open.archive.Read(*e, &owned, kMaxEmbeddedRecordBytes);
  if (!bytes.ok()) return bytes.status().WithContext(path);
  return EmbeddedRecord{RecordLocation::kZipRecord, std::string(AsText(*bytes)), e->name};
}

// Every entry is copied (raw compressed bytes, headers regenerated with 64-byte alignment) in
// central-directory order, which keeps the first entry and so torch's archive prefix; an old
// record is left out (found case-insensitively, as torch looks records up) and the new one goes
// last, so re-stamping replaces it.
Result<EmbeddedRecord> WriteZipRecord(const std::string& path, std::string_view record) {
  GM_ASSIGN_OR_RETURN(OpenArchive open, OpenTorchArchive(path));
  GM_ASSIGN_OR_RETURN(SourceFile source, SourceFile::Open(path, open.file->bytes().size()));
  GM_ASSIGN_OR_RETURN(AtomicFileWriter out, AtomicFileWriter::Create(path));
  AlignedZipWriter zip(out);
  GM_RETURN_IF_ERROR(CopyEntries(open.archive, source, open.archive.Find(kRecordEntryName), zip));
  std::string name = open.archive.prefix() + "/" + std::string(kRecordEntryName);
  GM_RETURN_IF_ERROR(zip.AddStoredEntry(name, std::as_bytes(std::span(record.data(), record.size()))));
  GM_RETURN_IF_ERROR(zip.Finish());
  GM_RETURN_IF_ERROR(out.Commit());
  return EmbeddedRecord{RecordLocation::kZipRecord, std::string(record), name};
}

}  // namespace gitmodel::embed_internal
