#include "store/object_store.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>

#include "base/atomic_file.h"
#include "store/codec_difference.h"
#include "store/codec_store.h"
#include "store/codec_scratch.h"
#include "store/object_file.h"

namespace gitmodel {
namespace {

// An object as it will be written: header fields and payload.
struct StoredForm {
  ObjectHeader header;
  std::string payload;
  uint64_t file_bytes() const { return EncodeObjectHeader(header).size() + payload.size(); }
};

ObjectHeader WholeHeader(const EncodedChunk& chunk, uint64_t raw_size) {
  ObjectHeader header;
  header.codec = chunk.codec;
  header.element_bytes = chunk.element_bytes;
  header.raw_size = raw_size;
  return header;
}

// The largest plain payload that still beats a delta whose file is `delta_file_bytes` long: the
// delta is kept when 10 * delta file <= 9 * plain file (a delta must save at least 10%: reading it
// costs decoding its whole chain). Plain wins iff 9 * (16 + payload) < 10 * delta file.
uint64_t PlainPayloadLimit(uint64_t delta_file_bytes) {
  constexpr uint64_t kPlainHeaderBytes = 16;
  const uint64_t ten_delta = 10 * delta_file_bytes;
  if (ten_delta <= 9 * kPlainHeaderBytes) return 0;
  return (ten_delta - 9 * kPlainHeaderBytes - 1) / 9 + 1;  // exclusive bound on the payload size
}

// A difference delta for fixed-size elements (float tensors), else XOR (object_store.h, PutOptions).
DeltaOp DeltaOpFor(std::span<const std::byte> raw, const EncodeOptions& options) {
  const size_t width = options.element_bytes;
  return IsDifferenceElementSize(width) && raw.size() % width == 0 ? DeltaOp::kDifference : DeltaOp::kXor;
}

// `raw` as a delta against `base`, when the base can serve: present, readable, of the same raw
// size and shallow enough. A base that cannot serve is not used: the object is stored whole.
std::optional<StoredForm> EncodeDelta(const ObjectStore& store, std::span<const std::byte> raw, const ObjectId& base,
                                      const PutOptions& put_options) {
  const EncodeOptions& options = put_options.encode;
  Result<ObjectHeader> header = store.Stat(base);
  const uint8_t max_depth = std::min(put_options.max_delta_depth, kMaxDeltaDepth);
  if (!header.ok() || header->raw_size != raw.size() || header->depth >= max_depth) return std::nullopt;
  ScratchBuffer delta(raw.size());
  if (!store.ReadInto(base, delta.bytes()).ok()) return std::nullopt;
  const DeltaOp op = DeltaOpFor(raw, options);
  if (op == DeltaOp::kDifference) {
    DifferenceInto(delta.bytes(), raw, options.element_bytes);
  } else {
    XorInto(delta.bytes(), raw);
  }
  EncodedChunk chunk = EncodeChunk(delta.bytes(), options);
  StoredForm form{WholeHeader(chunk, raw.size()), std::move(chunk.payload)};
  form.header.depth = static_cast<uint8_t>(header->depth + 1);
  form.header.base = base;
  form.header.delta_op = op;
  form.header.delta_element_bytes = op == DeltaOp::kDifference ? options.element_bytes : 0;
  return form;
}

// The delta when it saves enough, else the object whole. The whole encoding is bounded by the
// delta's size, so it is abandoned early when the delta clearly wins.
StoredForm ChooseForm(const ObjectStore& store, std::span<const std::byte> raw, const PutOptions& options) {
  std::optional<StoredForm> delta;
  if (options.delta_base) delta = EncodeDelta(store, raw, *options.delta_base, options);
  const uint64_t limit = delta ? PlainPayloadLimit(delta->file_bytes()) : uint64_t{raw.size()} + 1;
  std::optional<EncodedChunk> plain = EncodeChunkBelow(raw, options.encode, limit);
  if (!plain) return std::move(*delta);
  return StoredForm{WholeHeader(*plain, raw.size()), std::move(plain->payload)};
}

Status WriteObjectFile(const std::string& path, const StoredForm& form) {
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  if (ec) return IOError("{}: cannot create the object directory: {}", path, ec.message());
  GM_ASSIGN_OR_RETURN(AtomicFileWriter writer, AtomicFileWriter::Create(path, 0444));
  GM_RETURN_IF_ERROR(writer.Write(EncodeObjectHeader(form.header)));
  GM_RETURN_IF_ERROR(writer.Write(form.payload));
  return writer.Commit();
}

Result<ObjectFile> OpenStoredObject(const ObjectStore& store, const ObjectId& id) {
  Result<ObjectFile> file = OpenObjectFile(store.ObjectPath(id));
  if (file.status().code() == Code::kNotFound) {
    return NotFound("object {} is not in the local store {}/objects", ObjectHex(id), store.root());
  }
  return file;
}

// The names in the directory `dir`; none when it does not exist.
Result<std::vector<std::string>> EntryNames(const std::filesystem::path& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  std::filesystem::directory_iterator it(dir, ec);
  if (ec == std::errc::no_such_file_or_directory) return names;
  for (; !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) names.push_back(it->path().filename().string());
  if (ec) return IOError("{}: cannot list the directory: {}", dir.string(), ec.message());
  return names;
}

bool IsHexPair(std::string_view name) {
  auto hex = [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); };
  return name.size() == 2 && hex(name[0]) && hex(name[1]);
}

// Adds the ids named by the files of `objects/first/second` (temp files and strays are skipped).
Status ListFanOutDir(const std::filesystem::path& objects, const std::string& first, const std::string& second,
                     std::vector<ObjectId>& ids) {
  GM_ASSIGN_OR_RETURN(std::vector<std::string> names, EntryNames(objects / first / second));
  for (const std::string& name : names) {
    std::optional<ObjectId> id = ParseObjectHex(name);
    if (id && name.starts_with(first + second)) ids.push_back(*id);
  }
  return OkStatus();
}

}  // namespace

std::string ObjectStore::ObjectPath(const ObjectId& id) const { return ObjectPath(ObjectHex(id)); }

std::string ObjectStore::ObjectPath(std::string_view hex) const {
  return fmt::format("{}/objects/{}/{}/{}", root_, hex.substr(0, 2), hex.substr(2, 2), hex);
}

bool ObjectStore::Contains(const ObjectId& id) const { return Contains(ObjectHex(id)); }

bool ObjectStore::Contains(std::string_view hex) const {
  struct stat st {};
  return IsObjectId(hex) && ::stat(ObjectPath(hex).c_str(), &st) == 0;
}

Result<PutResult> ObjectStore::Put(std::span<const std::byte> raw, const PutOptions& options) const {
  if (raw.size() > kMaxObjectRawBytes) {
    return LimitExceeded("an object of {} bytes is over the store's limit of {} bytes", raw.size(), kMaxObjectRawBytes);
  }
  PutResult result{.id = Sha256Of(raw)};
  const std::string path = ObjectPath(result.id);
  // An existing file whose header does not even parse is replaced (same id, same raw bytes).
  if (Result<ObjectFile> existing = OpenObjectFile(path); existing.ok()) {
    // Freshened, as git freshens reused objects: `git model gc` spares objects younger than its
    // grace period, so one that a `git add` in progress reuses is not removed under it.
    ::utimensat(AT_FDCWD, path.c_str(), nullptr, 0);
    return PutResult{result.id, true, existing->file_bytes(), existing->header.depth};
  }
  StoredForm form = ChooseForm(*this, raw, options);
  GM_RETURN_IF_ERROR(WriteObjectFile(path, form));
  result.stored_bytes = form.file_bytes();
  result.depth = form.header.depth;
  return result;
}

Result<std::vector<std::byte>> ObjectStore::Read(const ObjectId& id) const {
  GM_ASSIGN_OR_RETURN(ObjectFile file, OpenStoredObject(*this, id));
  std::vector<std::byte> out(file.header.raw_size);
  GM_RETURN_IF_ERROR(DecodeObjectFile(*this, id, file, out));
  return out;
}

Status ObjectStore::ReadInto(const ObjectId& id, std::span<std::byte> out) const {
  GM_ASSIGN_OR_RETURN(ObjectFile file, OpenStoredObject(*this, id));
  return DecodeObjectFile(*this, id, file, out);
}

Result<ObjectHeader> ObjectStore::Stat(const ObjectId& id) const {
  GM_ASSIGN_OR_RETURN(ObjectFile file, OpenStoredObject(*this, id));
  return file.header;
}

Result<std::vector<ObjectId>> ObjectStore::List() const {
  const std::filesystem::path objects = std::filesystem::path(root_) / "objects";
  std::vector<ObjectId> ids;
  GM_ASSIGN_OR_RETURN(std::vector<std::string> firsts, EntryNames(objects));
  for (const std::string& first : firsts) {
    if (!IsHexPair(first)) continue;
    GM_ASSIGN_OR_RETURN(std::vector<std::string> seconds, EntryNames(objects / first));
    for (const std::string& second : seconds) {
      if (IsHexPair(second)) GM_RETURN_IF_ERROR(ListFanOutDir(objects, first, second, ids));
    }
  }
  return ids;
}

Result<std::string> ObjectStore::Put(std::span<const std::byte> bytes) const {
  GM_ASSIGN_OR_RETURN(PutResult put, Put(bytes, PutOptions{}));
  return ObjectHex(put.id);
}

Result<std::string> ObjectStore::Put(std::string_view text) const {
  return Put(std::as_bytes(std::span(text.data(), text.size())));
}

Result<std::string> ObjectStore::Get(std::string_view hex) const {
  std::optional<ObjectId> id = ParseObjectHex(hex);
  if (!id) return InvalidArgument("'{}' is not an object id (64 lowercase hex digits)", hex);
  GM_ASSIGN_OR_RETURN(std::vector<std::byte> raw, Read(*id));
  return std::string(reinterpret_cast<const char*>(raw.data()), raw.size());
}

}  // namespace gitmodel
