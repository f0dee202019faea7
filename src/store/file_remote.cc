#include "store/file_remote.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "base/atomic_file.h"
#include "base/hex_digit.h"

namespace gitmodel {
namespace {


Result<std::string> PercentDecode(std::string_view text, std::string_view url) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    int high = i + 2 < text.size() ? HexDigitValue(text[i + 1]) : -1;
    int low = i + 2 < text.size() ? HexDigitValue(text[i + 2]) : -1;
    if (high < 0 || low < 0 || (high == 0 && low == 0)) {
      return InvalidArgument("'{}': bad %-escape in the path", url);
    }
    out.push_back(static_cast<char>(high * 16 + low));
    i += 2;
  }
  return out;
}

// Permission problems do not go away by trying again (remote.h: kIO means transient).
Code ErrnoCode(int error) {
  if (error == ENOENT) return Code::kNotFound;
  if (error == EACCES || error == EPERM || error == EROFS) return Code::kInvalidArgument;
  return Code::kIO;
}

// Copies the open file `fd` of `size` bytes to `dest` atomically.
Status CopyAtomically(int fd, uint64_t size, const std::string& dest) {
  GM_ASSIGN_OR_RETURN(AtomicFileWriter writer, AtomicFileWriter::Create(dest, 0444));
  GM_RETURN_IF_ERROR(writer.CopyFrom(fd, 0, size));
  return writer.Commit();
}

struct OpenFile {
  int fd = -1;
  uint64_t size = 0;
  ~OpenFile() {
    if (fd >= 0) close(fd);
  }
};

Status OpenRegular(const std::string& path, OpenFile& file) {
  file.fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (file.fd < 0) return Status(ErrnoCode(errno), fmt::format("cannot open {}: {}", path, std::strerror(errno)));
  struct stat st;
  if (fstat(file.fd, &st) != 0 || !S_ISREG(st.st_mode)) return IOError("{} is not a regular file", path);
  file.size = static_cast<uint64_t>(st.st_size);
  if (file.size > kMaxRemoteObjectBytes) return LimitExceeded("{}: {} bytes is too large for an object", path, file.size);
  return OkStatus();
}

}  // namespace

Result<std::string> ParseFileUrl(std::string_view url) {
  std::string_view rest = url;
  if (!rest.starts_with("file://")) return InvalidArgument("'{}' is not a file:// URL", url);
  rest.remove_prefix(7);
  if (rest.starts_with("localhost/")) rest.remove_prefix(9);
  if (!rest.starts_with('/')) {
    return InvalidArgument("'{}': a file:// remote needs an absolute path (file:///abs/path)", url);
  }
  GM_ASSIGN_OR_RETURN(std::string path, PercentDecode(rest, url));
  while (path.size() > 1 && path.ends_with('/')) path.pop_back();
  return path;
}

std::string FileRemote::ObjectPath(const ObjectId& id) const {
  std::string hex = ObjectHex(id);
  return fmt::format("{}/objects/{}/{}/{}", root_, hex.substr(0, 2), hex.substr(2, 2), hex);
}

Result<bool> FileRemote::Has(const ObjectId& id) {
  struct stat st;
  std::string path = ObjectPath(id);
  if (stat(path.c_str(), &st) == 0) return S_ISREG(st.st_mode);
  if (errno == ENOENT || errno == ENOTDIR) return false;
  return Status(ErrnoCode(errno), fmt::format("{}: cannot stat {}: {}", url_, path, std::strerror(errno)));
}

Status FileRemote::Put(const ObjectId& id, const std::string& local_path) {
  OpenFile source;
  GM_RETURN_IF_ERROR(OpenRegular(local_path, source));
  std::string target = ObjectPath(id);
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(target).parent_path(), ec);
  if (ec) {
    return Status(ErrnoCode(ec.value()), fmt::format("{}: cannot create the directory of {}: {}", url_,
                                                     target, ec.message()));
  }
  Status copied = CopyAtomically(source.fd, source.size, target);
  return copied.ok() ? copied : copied.WithContext(url_);
}

Status FileRemote::Get(const ObjectId& id, const std::string& dest_path) {
  OpenFile source;
  Status opened = OpenRegular(ObjectPath(id), source);
  if (opened.code() == Code::kNotFound) {
    return NotFound("{}: object {} is not on the remote", url_, ObjectHex(id));
  }
  if (!opened.ok()) return opened.WithContext(url_);
  return CopyAtomically(source.fd, source.size, dest_path);
}

}  // namespace gitmodel
