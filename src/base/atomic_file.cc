#include "base/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

namespace gitmodel {
namespace {

std::string ErrnoText() { return std::strerror(errno); }

std::string DirectoryOf(const std::string& path) {
  std::string dir = std::filesystem::path(path).parent_path().string();
  return dir.empty() ? "." : dir;
}

Status FsyncDirectory(const std::string& dir) {
  int fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return IOError("{}: cannot open directory: {}", dir, ErrnoText());
  int rc = fsync(fd);
  int saved = errno;
  close(fd);
  if (rc != 0) return IOError("{}: fsync failed: {}", dir, std::strerror(saved));
  return OkStatus();
}

}  // namespace

Result<AtomicFileWriter> AtomicFileWriter::Create(const std::string& target, unsigned mode) {
  struct stat st;
  if (stat(target.c_str(), &st) == 0) mode = st.st_mode & 07777;
  std::filesystem::path p(target);
  std::string temp = (std::filesystem::path(DirectoryOf(target)) /
                      ("." + p.filename().string() + ".tmp-XXXXXX"))
                         .string();
  std::vector<char> name(temp.begin(), temp.end());
  name.push_back('\0');
  int fd = mkostemp(name.data(), O_CLOEXEC);
  if (fd < 0) return IOError("{}: cannot create a temp file beside it: {}", target, ErrnoText());
  fchmod(fd, mode);
  return AtomicFileWriter(target, std::string(name.data()), fd);
}

AtomicFileWriter::AtomicFileWriter(AtomicFileWriter&& other) noexcept
    : target_(std::move(other.target_)),
      temp_(std::move(other.temp_)),
      fd_(other.fd_),
      offset_(other.offset_),
      committed_(other.committed_) {
  other.fd_ = -1;
  other.committed_ = true;
}

AtomicFileWriter::~AtomicFileWriter() {
  if (fd_ >= 0) close(fd_);
  if (!committed_) unlink(temp_.c_str());
}

Status AtomicFileWriter::Write(std::span<const std::byte> bytes) {
  const char* p = reinterpret_cast<const char*>(bytes.data());
  size_t left = bytes.size();
  while (left > 0) {
    ssize_t n = write(fd_, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return IOError("{}: write failed: {}", temp_, ErrnoText());
    p += n;
    left -= static_cast<size_t>(n);
  }
  offset_ += bytes.size();
  return OkStatus();
}

Status AtomicFileWriter::Write(std::string_view text) {
  return Write(std::as_bytes(std::span(text.data(), text.size())));
}

Status AtomicFileWriter::CopyFrom(int source_fd, uint64_t offset, uint64_t length) {
  loff_t in = static_cast<loff_t>(offset);
  while (length > 0) {
    ssize_t n = copy_file_range(source_fd, &in, fd_, nullptr, length, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EXDEV || errno == ENOSYS || errno == EOPNOTSUPP || errno == EINVAL)) {
      // Fallback for file systems without copy_file_range between these files.
      std::vector<std::byte> buffer(std::min<uint64_t>(length, 1 << 20));
      ssize_t r = pread(source_fd, buffer.data(), buffer.size(), in);
      if (r <= 0) return IOError("{}: read failed while copying: {}", temp_, ErrnoText());
      GM_RETURN_IF_ERROR(Write(std::span(buffer.data(), static_cast<size_t>(r))));
      in += r;
      length -= static_cast<uint64_t>(r);
      continue;
    }
    if (n <= 0) return IOError("{}: copy failed: {}", temp_, n == 0 ? "source ended early" : ErrnoText());
    offset_ += static_cast<uint64_t>(n);
    length -= static_cast<uint64_t>(n);
  }
  return OkStatus();
}

Status AtomicFileWriter::Commit() {
  if (fsync(fd_) != 0) return IOError("{}: fsync failed: {}", temp_, ErrnoText());
  if (close(fd_) != 0) {
    fd_ = -1;
    return IOError("{}: close failed: {}", temp_, ErrnoText());
  }
  fd_ = -1;
  if (rename(temp_.c_str(), target_.c_str()) != 0) {
    return IOError("{}: cannot replace it: {}", target_, ErrnoText());
  }
  committed_ = true;
  return FsyncDirectory(DirectoryOf(target_));
}

Status WriteFileAtomically(const std::string& target, std::string_view contents, unsigned mode) {
  GM_ASSIGN_OR_RETURN(AtomicFileWriter writer, AtomicFileWriter::Create(target, mode));
  GM_RETURN_IF_ERROR(writer.Write(contents));
  return writer.Commit();
}

Result<std::string> ReadSmallFile(const std::string& path, uint64_t max_bytes) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return IOError("{}: cannot open: {}", path, ErrnoText());
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    return IOError("{}: not a regular file", path);
  }
  if (static_cast<uint64_t>(st.st_size) > max_bytes) {
    close(fd);
    return LimitExceeded("{}: {} bytes is more than the {} byte limit", path, st.st_size, max_bytes);
  }
  std::string out(static_cast<size_t>(st.st_size), '\0');
  size_t done = 0;
  while (done < out.size()) {
    ssize_t n = pread(fd, out.data() + done, out.size() - done, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      close(fd);
      return IOError("{}: read failed: {}", path, n == 0 ? "file shrank" : ErrnoText());
    }
    done += static_cast<size_t>(n);
  }
  close(fd);
  return out;
}

}  // namespace gitmodel
