#include "store/store_filter.h"

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>

#include "git/small_blobs.h"
#include "store/clean_file.h"
#include "store/pointer.h"
#include "store/smudge_file.h"

namespace gitmodel {
namespace {

constexpr size_t kSpoolStep = 1 << 20;

// Content read from git: small content in memory, anything larger than a pointer in a temp file
// (removed with this object).
struct Spooled {
  std::string head;  // all of the content when `file` is empty
  std::string file;
  ~Spooled() {
    if (!file.empty()) ::unlink(file.c_str());
  }
};

Status WriteAll(int fd, std::span<const std::byte> bytes, const std::string& path) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return IOError("{}: cannot write: {}", path, std::strerror(errno));
    bytes = bytes.subspan(n);
  }
  return OkStatus();
}

// Reads until `head` holds more than kMaxPointerBytes or the content ends.
Status ReadHead(const ByteSource& read, std::string& head, bool& ended) {
  std::byte buffer[kMaxPointerBytes + 1];
  while (head.size() <= kMaxPointerBytes) {
    GM_ASSIGN_OR_RETURN(size_t n, read(std::span(buffer, sizeof buffer - head.size())));
    if (n == 0) {
      ended = true;
      return OkStatus();
    }
    head.append(reinterpret_cast<const char*>(buffer), n);
  }
  return OkStatus();
}

Status SpoolRest(const ByteSource& read, const std::string& tmp_dir, const std::string& path, Spooled& out) {
  std::error_code ec;
  std::filesystem::create_directories(tmp_dir, ec);
  const std::string ext = std::filesystem::path(path).extension().string();
  std::string name = tmp_dir + "/spool-XXXXXX" + (ext.size() <= 16 ? ext : "");
  const int fd = ::mkstemps(name.data(), static_cast<int>(name.size() - (tmp_dir.size() + 13)));
  if (fd < 0) return IOError("{}: cannot create a temporary file: {}", tmp_dir, std::strerror(errno));
  out.file = name;
  Status status = WriteAll(fd, std::as_bytes(std::span(out.head)), name);
  std::vector<std::byte> buffer(kSpoolStep);
  while (status.ok()) {
    auto n = read(buffer);
    if (!n.ok()) status = n.status();
    if (!status.ok() || *n == 0) break;
    status = WriteAll(fd, std::span(buffer).first(*n), name);
  }
  ::close(fd);
  return status;
}

Result<std::unique_ptr<Spooled>> Spool(const ByteSource& read, const std::string& tmp_dir, const std::string& path) {
  auto out = std::make_unique<Spooled>();
  bool ended = false;
  GM_RETURN_IF_ERROR(ReadHead(read, out->head, ended));
  if (!ended) GM_RETURN_IF_ERROR(SpoolRest(read, tmp_dir, path, *out));
  return out;
}

std::optional<Pointer> PointerIn(const std::string& text) {
  auto pointer = ParsePointer(text);
  return pointer.ok() ? std::optional(*pointer) : std::nullopt;
}

// The manifest of the version of `path` staged in the index, or else committed at HEAD, when it is
// a pointer whose manifest is here. Only an optimisation (delta bases): any failure means none.
std::optional<Manifest> PreviousManifest(const StoreFilter& filter, const std::string& path) {
  if (!filter.repo) return std::nullopt;
  const SmallBlobFilter pointers{std::string(kPointerVersionLine), kMaxPointerBytes};
  auto staged = IndexSmallBlob(*filter.repo, path, pointers);
  std::optional<std::string> text = staged.ok() ? *staged : std::nullopt;
  if (!text) {
    auto committed = RevisionSmallBlob(*filter.repo, "HEAD", path, pointers);
    if (committed.ok()) text = *committed;
  }
  std::optional<Pointer> pointer = text ? PointerIn(*text) : std::nullopt;
  if (!pointer || !filter.store.Contains(pointer->manifest)) return std::nullopt;
  auto manifest = ReadManifest(filter.store, *pointer);
  return manifest.ok() ? std::optional(std::move(*manifest)) : std::nullopt;
}

Status Echo(const Spooled& content, const std::function<Status(std::span<const std::byte>)>& write) {
  if (content.file.empty()) return write(std::as_bytes(std::span(content.head)));
  const int fd = ::open(content.file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return IOError("{}: cannot read back: {}", content.file, std::strerror(errno));
  std::vector<std::byte> buffer(kSpoolStep);
  Status status;
  while (status.ok()) {
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) status = IOError("{}: cannot read back: {}", content.file, std::strerror(errno));
    if (n <= 0) break;
    status = write(std::span(buffer).first(n));
  }
  ::close(fd);
  return status;
}

// Fetches what the file needs: the manifest first, then the chunks it names.
Status FetchMissing(const StoreFilter& filter, const Pointer& pointer) {
  for (int round = 0; round < 2; ++round) {
    GM_ASSIGN_OR_RETURN(std::vector<ObjectId> missing, MissingObjects(filter.store, pointer));
    if (missing.empty()) return OkStatus();
    if (!filter.fetch) return NotFound("{} object(s) are not in the local store", missing.size());
    GM_RETURN_IF_ERROR(filter.fetch(missing));
  }
  GM_ASSIGN_OR_RETURN(std::vector<ObjectId> missing, MissingObjects(filter.store, pointer));
  if (!missing.empty()) return NotFound("{} object(s) missing after fetching", missing.size());
  return OkStatus();
}

}  // namespace

Status CleanContent(const StoreFilter& filter, const std::string& path, const ByteSource& read,
                    const std::function<Status(std::span<const std::byte>)>& write) {
  GM_ASSIGN_OR_RETURN(std::unique_ptr<Spooled> content, Spool(read, filter.tmp_dir, path));
  if (content->file.empty() && PointerIn(content->head)) return write(std::as_bytes(std::span(content->head)));
  std::string small_file;
  if (content->file.empty()) {  // tiny files are stored too: write them out for CleanFile
    GM_RETURN_IF_ERROR(SpoolRest([](std::span<std::byte>) -> Result<size_t> { return size_t{0}; }, filter.tmp_dir,
                                 path, *content));
  }
  CleanOptions options{PreviousManifest(filter, path), 0, filter.max_delta_depth};
  GM_ASSIGN_OR_RETURN(CleanResult stored, CleanFile(filter.store, content->file, options));
  const std::string pointer = FormatPointer(stored.pointer);
  return write(std::as_bytes(std::span(pointer)));
}

Status SmudgeContent(const StoreFilter& filter, const std::string& path, const ByteSource& read,
                     const std::function<Status(std::span<const std::byte>)>& write) {
  GM_ASSIGN_OR_RETURN(std::unique_ptr<Spooled> content, Spool(read, filter.tmp_dir, path));
  std::optional<Pointer> pointer = content->file.empty() ? PointerIn(content->head) : std::nullopt;
  if (!pointer) return Echo(*content, write);
  if (Status fetched = FetchMissing(filter, *pointer); !fetched.ok()) {
    if (filter.warn)
      filter.warn(fmt::format("{}: {}; the pointer is checked out instead (run `git model pull` when the objects "
                              "can be had)", path, fetched.message()));
    return write(std::as_bytes(std::span(content->head)));
  }
  return SmudgeFile(filter.store, *pointer, write);
}

FilterHandler StoreFilterHandler(const StoreFilter& filter) {
  return [&filter](const FilterRequest& request, FilterInput& in, FilterOutput& out) -> Status {
    ByteSource read = [&in](std::span<std::byte> buffer) { return in.Read(buffer); };
    auto write = [&out](std::span<const std::byte> bytes) { return out.Write(bytes); };
    if (request.command == "clean") return CleanContent(filter, request.pathname, read, write);
    if (request.command == "smudge") return SmudgeContent(filter, request.pathname, read, write);
    return InvalidArgument("unknown filter command '{}'", request.command);
  };
}

}  // namespace gitmodel
