// ObjectStore::Adopt (object_store.h): verifying an object file that came from elsewhere and
// moving it into the store.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "base/atomic_file.h"
#include "store/codec_scratch.h"
#include "store/object_file.h"

namespace gitmodel {
namespace {

// Checks that the file at `path` decodes to `id` (with its bases from `store`).
Status VerifyObjectFile(const ObjectStore& store, const ObjectId& id, const std::string& path) {
  GM_ASSIGN_OR_RETURN(ObjectFile file, OpenObjectFile(path));
  ScratchBuffer out(file.header.raw_size);
  Status verified = DecodeObjectFile(store, id, file, out.bytes());
  if (!verified.ok()) return verified.WithContext(path);
  return OkStatus();
}

Status SyncDirectory(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return IOError("{}: cannot open the directory: {}", dir, std::strerror(errno));
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0) return IOError("{}: cannot sync the directory: {}", dir, std::strerror(err));
  return OkStatus();
}

// Makes `fd`'s file read-only and durable before it is renamed into the store.
Status SealFile(int fd, const std::string& path) {
  if (::fchmod(fd, 0444) != 0) return IOError("{}: cannot make the file read-only: {}", path, std::strerror(errno));
  if (::fsync(fd) != 0) return IOError("{}: cannot sync: {}", path, std::strerror(errno));
  return OkStatus();
}

// Another file system: copy through AtomicFileWriter (temp, fsync, rename), then drop the source.
Status CopyIntoPlace(int fd, const std::string& source, const std::string& target) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return IOError("{}: cannot stat: {}", source, std::strerror(errno));
  GM_ASSIGN_OR_RETURN(AtomicFileWriter writer, AtomicFileWriter::Create(target, 0444));
  GM_RETURN_IF_ERROR(writer.CopyFrom(fd, 0, static_cast<uint64_t>(st.st_size)));
  GM_RETURN_IF_ERROR(writer.Commit());
  ::unlink(source.c_str());  // the object is installed; a leftover source is only clutter
  return OkStatus();
}

Status MoveIntoPlace(int fd, const std::string& source, const std::string& target) {
  GM_RETURN_IF_ERROR(SealFile(fd, source));
  const std::string dir = std::filesystem::path(target).parent_path().string();
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return IOError("{}: cannot create the object directory: {}", dir, ec.message());
  if (::rename(source.c_str(), target.c_str()) == 0) return SyncDirectory(dir);
  if (errno == EXDEV) return CopyIntoPlace(fd, source, target);
  return IOError("{}: cannot move to {}: {}", source, target, std::strerror(errno));
}

}  // namespace

Status ObjectStore::Adopt(const ObjectId& id, const std::string& path) const {
  if (Contains(id)) {
    ::unlink(path.c_str());
    return OkStatus();
  }
  GM_RETURN_IF_ERROR(VerifyObjectFile(*this, id, path));
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return IOError("{}: cannot open: {}", path, std::strerror(errno));
  Status moved = MoveIntoPlace(fd, path, ObjectPath(id));
  ::close(fd);
  return moved;
}

}  // namespace gitmodel
