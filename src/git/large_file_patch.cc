#include "git/large_file_patch.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "base/mapped_file.h"
#include "git/binary_delta.h"
#include "git/binary_hunk.h"
#include "git/blob_id.h"
#include "git/path_quote.h"

namespace gitmodel {
namespace {

constexpr const char* kZeroId = "0000000000000000000000000000000000000000";
constexpr size_t kBinarySniffBytes = 8000;  // what git and libgit2 look at

bool IsRegular(uint32_t mode) { return mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE; }
bool HasOld(const git_diff_delta& d) { return d.status == GIT_DELTA_DELETED || d.status == GIT_DELTA_MODIFIED; }
bool HasNew(const git_diff_delta& d) {
  return d.status == GIT_DELTA_ADDED || d.status == GIT_DELTA_UNTRACKED || d.status == GIT_DELTA_MODIFIED;
}

std::string WorkdirPath(git_repository* repo, const char* path) {
  return std::string(git_repository_workdir(repo)) + path;
}

Result<uint64_t> OldSize(git_repository* repo, const git_diff_delta& delta) {
  if (delta.old_file.size > 0) return delta.old_file.size;
  git_odb* raw = nullptr;
  int error = git_repository_odb(&raw, repo);
  if (error < 0) return GitError(error, "opening the object database");
  GitOdbPtr odb(raw);
  size_t size = 0;
  git_object_t type;
  error = git_odb_read_header(&size, &type, odb.get(), &delta.old_file.id);
  if (error < 0) return GitError(error, fmt::format("reading the size of '{}'", delta.old_file.path));
  return size;
}

// A NUL byte in the first 8000 bytes of the working-tree file; false when it cannot be read
// (libgit2 then reports the problem).
bool LooksBinary(git_repository* repo, const char* path) {
  int fd = open(WorkdirPath(repo, path).c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  char head[kBinarySniffBytes];
  ssize_t n = pread(fd, head, sizeof(head), 0);
  close(fd);
  return n > 0 && std::find(head, head + n, '\0') != head + n;
}

// Bytes of one side of the patch, with whatever owns them.
struct Content {
  GitBlobPtr blob;
  std::unique_ptr<MappedFile> mapped;
  std::unique_ptr<GitBuf> filtered;
  std::span<const std::byte> bytes;
};

Result<Content> OldContent(git_repository* repo, const git_diff_delta& delta) {
  Content c;
  git_blob* raw = nullptr;
  int error = git_blob_lookup(&raw, repo, &delta.old_file.id);
  if (error < 0) return GitError(error, fmt::format("reading the committed '{}'", delta.old_file.path));
  c.blob.reset(raw);
  c.bytes = {static_cast<const std::byte*>(git_blob_rawcontent(raw)), static_cast<size_t>(git_blob_rawsize(raw))};
  return c;
}

// The working-tree file as git would store it: through the clean filters (CRLF, ident) when any
// apply to the path, else the file's bytes as they are.
Result<Content> NewContent(git_repository* repo, const git_diff_delta& delta) {
  const char* path = delta.new_file.path;
  Content c;
  git_filter_list* raw = nullptr;
  int error = git_filter_list_load(&raw, repo, nullptr, path, GIT_FILTER_TO_ODB, GIT_FILTER_DEFAULT);
  if (error < 0) return GitError(error, fmt::format("loading the filters of '{}'", path));
  GitFilterListPtr filters(raw);
  if (!filters) {
    GM_ASSIGN_OR_RETURN(c.mapped, MappedFile::Open(WorkdirPath(repo, path)));
    c.bytes = c.mapped->bytes();
    return c;
  }
  c.filtered = std::make_unique<GitBuf>();
  error = git_filter_list_apply_to_file(c.filtered->get(), filters.get(), repo, path);
  if (error < 0) return GitError(error, fmt::format("filtering '{}'", path));
  std::string_view v = c.filtered->view();
  c.bytes = std::as_bytes(std::span(v.data(), v.size()));
  return c;
}

std::string Header(const git_diff_delta& d, const std::string& old_id, const std::string& new_id) {
  std::string out = fmt::format("diff --git {} {}\n", QuoteGitPath(std::string("a/") + d.old_file.path),
                                QuoteGitPath(std::string("b/") + d.new_file.path));
  if (!HasOld(d)) out += fmt::format("new file mode {:06o}\n", d.new_file.mode);
  if (!HasNew(d)) out += fmt::format("deleted file mode {:06o}\n", d.old_file.mode);
  bool mode_change = HasOld(d) && HasNew(d) && d.old_file.mode != d.new_file.mode;
  if (mode_change) out += fmt::format("old mode {:06o}\nnew mode {:06o}\n", d.old_file.mode, d.new_file.mode);
  if (old_id == new_id) return out;  // a mode change only
  out += fmt::format("index {}..{}", old_id, new_id);
  if (HasOld(d) && HasNew(d) && !mode_change) out += fmt::format(" {:06o}", d.new_file.mode);
  return out + "\n";
}

// One direction of the binary patch: a delta from `from` when one is cheap and small, else the
// literal `to`.
void AppendHunk(std::span<const std::byte> from, std::span<const std::byte> to, bool try_delta, std::string& out) {
  std::optional<std::vector<std::byte>> delta;
  if (try_delta) delta = SameOffsetDelta(from, to);
  if (delta) {
    AppendBinaryHunk("delta", *delta, out);
  } else {
    AppendBinaryHunk("literal", to, out);
  }
}

}  // namespace

Result<bool> IsLargeFileDelta(git_repository* repo, const git_diff_delta& delta, const LargeFileLimits& limits) {
  if (!HasOld(delta) && !HasNew(delta)) return false;
  if ((HasOld(delta) && !IsRegular(delta.old_file.mode)) || (HasNew(delta) && !IsRegular(delta.new_file.mode))) {
    return false;
  }
  uint64_t size = HasNew(delta) ? delta.new_file.size : 0;
  if (HasOld(delta)) {
    GM_ASSIGN_OR_RETURN(uint64_t old_size, OldSize(repo, delta));
    size = std::max(size, old_size);
  }
  if (size > limits.any_file) return true;
  return size > limits.binary_file && HasNew(delta) && LooksBinary(repo, delta.new_file.path);
}

Status AppendLargeFilePatch(git_repository* repo, const git_diff_delta& delta, std::string& out) {
  Content old_content, new_content;
  if (HasOld(delta)) {
    GM_ASSIGN_OR_RETURN(old_content, OldContent(repo, delta));
  }
  if (HasNew(delta)) {
    GM_ASSIGN_OR_RETURN(new_content, NewContent(repo, delta));
  }
  std::string old_id = HasOld(delta) ? OidHex(delta.old_file.id) : kZeroId;
  std::string new_id = HasNew(delta) ? GitBlobId(new_content.bytes) : kZeroId;
  if (old_id == new_id && delta.old_file.mode == delta.new_file.mode) return OkStatus();  // only touched
  out += Header(delta, old_id, new_id);
  if (old_id == new_id) return OkStatus();
  out += "GIT binary patch\n";
  AppendHunk(old_content.bytes, new_content.bytes, HasOld(delta) && HasNew(delta), out);  // old -> new
  AppendHunk(new_content.bytes, old_content.bytes, HasOld(delta) && HasNew(delta), out);  // new -> old
  return OkStatus();
}

}  // namespace gitmodel
