#include "provenance/data_walk.h"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>

namespace gitmodel {
namespace {

struct DirCloser {
  void operator()(DIR* d) const { closedir(d); }
};

struct PendingDir {
  std::string absolute;
  std::string relative;  // "" for the root
  int depth;
};

const char* SpecialKind(mode_t mode) {
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
  return "not a regular file, directory or symlink";
}

// Control characters shown as \n or \xNN, so that an error stays one line.
std::string Printable(std::string_view path) {
  std::string out;
  for (char c : path) {
    if (c == '\n') out += "\\n";
    else if (static_cast<unsigned char>(c) < 0x20) out += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
    else out.push_back(c);
  }
  return out;
}

Status NewlineInName(std::string_view path) {
  return InvalidArgument("{}: file names holding a newline cannot be hashed", Printable(path));
}

Status Refuse(const std::string& path, mode_t mode) {
  return Unsupported("{}: is {}; data hashes cover regular files and symlinks only", Printable(path),
                     SpecialKind(mode));
}

class Walker {
 public:
  explicit Walker(const WalkLimits& limits) : limits_(limits) {}

  Status Run(const std::string& absolute_root) {
    std::vector<PendingDir> stack = {{absolute_root, "", 0}};
    while (!stack.empty()) {
      PendingDir dir = std::move(stack.back());
      stack.pop_back();
      GM_RETURN_IF_ERROR(ReadDir(dir, &stack));
    }
    return OkStatus();
  }
  std::vector<WalkEntry> entries;

 private:
  Status ReadDir(const PendingDir& dir, std::vector<PendingDir>* stack) {
    // Below the root, a directory swapped for a symlink since it was listed is not followed.
    int flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC | (dir.depth > 0 ? O_NOFOLLOW : 0);
    int fd = open(dir.absolute.c_str(), flags);
    std::unique_ptr<DIR, DirCloser> d(fd < 0 ? nullptr : fdopendir(fd));
    if (!d) {
      int err = errno;
      if (fd >= 0) close(fd);
      return IOError("{}: cannot read directory: {}", dir.absolute, std::strerror(err));
    }
    errno = 0;
    while (const dirent* e = readdir(d.get())) {
      std::string_view name = e->d_name;
      if (name == "." || name == "..") continue;
      GM_RETURN_IF_ERROR(AddEntry(dir, name, dirfd(d.get()), stack));
      errno = 0;
    }
    if (errno != 0) return IOError("{}: cannot read directory: {}", dir.absolute, std::strerror(errno));
    return OkStatus();
  }

  Status AddEntry(const PendingDir& dir, std::string_view name, int dir_fd, std::vector<PendingDir>* stack) {
    std::string absolute = (dir.absolute == "/" ? "" : dir.absolute) + "/" + std::string(name);
    if (name.find('\n') != std::string_view::npos) return NewlineInName(absolute);
    struct stat st;
    if (fstatat(dir_fd, std::string(name).c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
      return IOError("{}: cannot stat: {}", absolute, std::strerror(errno));
    std::string relative = dir.relative.empty() ? std::string(name) : dir.relative + "/" + std::string(name);
    if (S_ISDIR(st.st_mode)) {
      if (dir.depth + 1 > limits_.max_depth)
        return LimitExceeded("{}: directories nested more than {} levels deep", absolute, limits_.max_depth);
      stack->push_back({std::move(absolute), std::move(relative), dir.depth + 1});
      return OkStatus();
    }
    if (!S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode)) return Refuse(absolute, st.st_mode);
    if (entries.size() >= limits_.max_files)
      return LimitExceeded("{}: more than {} files", absolute, limits_.max_files);
    entries.push_back({std::move(relative), std::move(absolute), S_ISLNK(st.st_mode) != 0, FileStatOf(st)});
    return OkStatus();
  }

  WalkLimits limits_;
};

std::string AbsoluteRoot(const std::string& root) {
  std::error_code ec;
  std::filesystem::path p = std::filesystem::absolute(root, ec).lexically_normal();
  std::string s = ec ? root : p.string();
  while (s.size() > 1 && s.ends_with('/')) s.pop_back();
  return s;
}

}  // namespace

Result<WalkResult> WalkData(const std::string& root, const WalkLimits& limits) {
  struct stat st;
  if (stat(root.c_str(), &st) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) return NotFound("{}: no such file or directory", root);
    return IOError("{}: cannot stat: {}", root, std::strerror(errno));
  }
  WalkResult result{AbsoluteRoot(root), S_ISDIR(st.st_mode) != 0, {}};
  if (S_ISREG(st.st_mode)) {
    std::string name = std::filesystem::path(result.absolute_root).filename().string();
    if (name.find('\n') != std::string::npos) return NewlineInName(root);
    result.entries.push_back({name, result.absolute_root, false, FileStatOf(st)});
    return result;
  }
  if (!result.directory) return Refuse(root, st.st_mode);
  Walker walker(limits);
  GM_RETURN_IF_ERROR(walker.Run(result.absolute_root));
  result.entries = std::move(walker.entries);
  std::sort(result.entries.begin(), result.entries.end(),
            [](const WalkEntry& a, const WalkEntry& b) { return a.relative_path < b.relative_path; });
  return result;
}

}  // namespace gitmodel
