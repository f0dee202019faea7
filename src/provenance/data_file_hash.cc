#include "provenance/data_file_hash.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

namespace gitmodel {
namespace {

constexpr size_t kChunkBytes = 1 << 20;
constexpr size_t kMaxLinkBytes = 1 << 16;

Status Changed(const std::string& path) {
  return Status(Code::kConflict, fmt::format("{}: changed while being hashed; hash again when it is stable", path));
}

struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) close(fd);
  }
};

Status CheckUnchanged(int fd, const WalkEntry& entry) {
  struct stat st;
  if (fstat(fd, &st) != 0) return IOError("{}: cannot stat: {}", entry.absolute_path, std::strerror(errno));
  if (!(FileStatOf(st) == entry.stat)) return Changed(entry.absolute_path);
  return OkStatus();
}

}  // namespace

Result<EntryDigest> HashRegularFile(const WalkEntry& entry, const std::function<void(uint64_t)>& on_bytes) {
  Fd file{open(entry.absolute_path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW)};
  if (file.fd < 0) return IOError("{}: cannot open: {}", entry.absolute_path, std::strerror(errno));
  GM_RETURN_IF_ERROR(CheckUnchanged(file.fd, entry));
  posix_fadvise(file.fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  thread_local std::vector<std::byte> buffer(kChunkBytes);
  Sha256 h;
  uint64_t offset = 0;
  while (offset < entry.stat.size) {
    size_t want = static_cast<size_t>(std::min<uint64_t>(kChunkBytes, entry.stat.size - offset));
    ssize_t n = pread(file.fd, buffer.data(), want, static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return IOError("{}: read failed at offset {}: {}", entry.absolute_path, offset, std::strerror(errno));
    if (n == 0) return Changed(entry.absolute_path);  // shrank
    h.Update(std::span(buffer.data(), static_cast<size_t>(n)));
    offset += static_cast<uint64_t>(n);
    if (on_bytes) on_bytes(static_cast<uint64_t>(n));
  }
  GM_RETURN_IF_ERROR(CheckUnchanged(file.fd, entry));  // grew or was rewritten meanwhile
  return EntryDigest{h.Finish(), offset};
}

Result<EntryDigest> HashSymlink(const WalkEntry& entry) {
  // st_size is the target's length on most file systems, 0 on some: grow until it fits.
  for (size_t capacity = std::max<size_t>(entry.stat.size + 1, 256); capacity <= kMaxLinkBytes; capacity *= 2) {
    std::string target(capacity, '\0');
    ssize_t n = readlink(entry.absolute_path.c_str(), target.data(), capacity);
    if (n < 0) return IOError("{}: cannot read symlink: {}", entry.absolute_path, std::strerror(errno));
    if (static_cast<size_t>(n) == capacity) continue;
    target.resize(static_cast<size_t>(n));
    return EntryDigest{Sha256Of(std::as_bytes(std::span(target.data(), target.size()))), target.size()};
  }
  return LimitExceeded("{}: symlink target longer than {} bytes", entry.absolute_path, kMaxLinkBytes);
}

}  // namespace gitmodel
