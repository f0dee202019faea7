#include "git/revision_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <utility>

#include "git/git_handles.h"
#include "git/repo.h"

namespace gitmodel {
namespace {

namespace fs = std::filesystem;
using GitTreeEntryPtr = std::unique_ptr<git_tree_entry, GitFree<git_tree_entry, git_tree_entry_free>>;

// What the file is at the revision: its blob id and mode.
struct BlobAt {
  git_oid id;
  uint32_t mode = 0;
};

std::string Display(const RevisionPath& spec) {
  if (!spec.revision.empty()) return spec.revision + ":" + spec.path;
  return spec.stage ? fmt::format(":{}:{}", spec.stage, spec.path) : ":" + spec.path;
}

std::string Where(const RevisionPath& spec) {
  return spec.revision.empty() ? std::string("the index") : fmt::format("'{}'", spec.revision);
}

bool RelativeToCwd(std::string_view path) {
  return path == "." || path == ".." || path.starts_with("./") || path.starts_with("../");
}

std::string WithoutTrailingSlashes(std::string path) {
  while (!path.empty() && path.back() == '/') path.pop_back();
  return path;
}

// PATH relative to the working-tree root: verbatim, or resolved from `cwd` for ./ and ../ forms.
Result<std::string> RepoRelativePath(const GitRepo& repo, const RevisionPath& spec, const std::string& cwd) {
  if (!RelativeToCwd(spec.path)) return WithoutTrailingSlashes(spec.path);
  const std::string workdir = WorkdirOf(repo);
  if (workdir.empty()) return InvalidArgument("{}: './' and '../' paths need a working tree (bare repository)", Display(spec));
  std::error_code ec;
  fs::path here = fs::weakly_canonical(fs::absolute(cwd, ec), ec);
  fs::path root = fs::weakly_canonical(workdir, ec);
  if (ec) return IOError("{}: cannot resolve '{}': {}", Display(spec), cwd, ec.message());
  fs::path joined = (here.lexically_relative(root) / spec.path).lexically_normal();
  std::string rel = WithoutTrailingSlashes(joined.generic_string());
  if (rel == ".") rel.clear();
  if (joined.empty() || rel == ".." || rel.starts_with("../"))
    return InvalidArgument("{}: '{}' is outside the repository", Display(spec), spec.path);
  return rel;
}

Result<BlobAt> LookupInTree(git_repository* repo, const RevisionPath& spec, const std::string& path) {
  git_object* raw = nullptr;
  int error = git_revparse_single(&raw, repo, spec.revision.c_str());
  // libgit2 reads a short hex word ("bad", "cafe") as an id prefix too short to look up.
  bool short_hex = error == GIT_EAMBIGUOUS && spec.revision.size() < GIT_OID_MINPREFIXLEN;
  if (error == GIT_ENOTFOUND || error == GIT_EINVALIDSPEC || error == GIT_EUNBORNBRANCH || short_hex)
    return InvalidArgument("{}: unknown revision '{}'", Display(spec), spec.revision);
  if (error < 0) return GitError(error, fmt::format("{}: resolving revision '{}'", Display(spec), spec.revision));
  GitObjectPtr object(raw);
  git_object* peeled = nullptr;
  error = git_object_peel(&peeled, object.get(), GIT_OBJECT_TREE);
  if (error < 0) return InvalidArgument("{}: '{}' names no commit or tree", Display(spec), spec.revision);
  GitTreePtr tree(reinterpret_cast<git_tree*>(peeled));
  if (path.empty()) return InvalidArgument("{}: names the top directory of '{}', not a file", Display(spec), spec.revision);
  git_tree_entry* raw_entry = nullptr;
  error = git_tree_entry_bypath(&raw_entry, tree.get(), path.c_str());
  if (error == GIT_ENOTFOUND) return NotFound("{}: path '{}' does not exist in '{}'", Display(spec), path, spec.revision);
  if (error < 0) return GitError(error, fmt::format("{}: looking up '{}'", Display(spec), path));
  GitTreeEntryPtr entry(raw_entry);
  git_object_t type = git_tree_entry_type(entry.get());
  if (type == GIT_OBJECT_TREE) return InvalidArgument("{}: '{}' is a directory in '{}', not a file", Display(spec), path, spec.revision);
  if (type == GIT_OBJECT_COMMIT) return InvalidArgument("{}: '{}' is a submodule in '{}', not a file", Display(spec), path, spec.revision);
  return BlobAt{*git_tree_entry_id(entry.get()), static_cast<uint32_t>(git_tree_entry_filemode(entry.get()))};
}

Result<BlobAt> LookupInIndex(git_repository* repo, const RevisionPath& spec, const std::string& path) {
  git_index* raw = nullptr;
  int error = git_repository_index(&raw, repo);
  if (error < 0) return GitError(error, fmt::format("{}: reading the index", Display(spec)));
  GitIndexPtr index(raw);
  const git_index_entry* entry = git_index_get_bypath(index.get(), path.c_str(), spec.stage);
  if (!entry) return NotFound("{}: path '{}' is not in the index{}", Display(spec), path,
                              spec.stage ? fmt::format(" at stage {}", spec.stage) : "");
  if (entry->mode == GIT_FILEMODE_COMMIT) return InvalidArgument("{}: '{}' is a submodule, not a file", Display(spec), path);
  return BlobAt{entry->id, entry->mode};
}

std::string TempRoot() {
  const char* tmp = std::getenv("TMPDIR");
  return tmp && *tmp ? tmp : "/tmp";
}

// Writes all of `bytes` to a new file. No fsync: the file is a scratch copy, read at once and
// removed after; a crash leaves only a stale temporary directory.
Status WriteNewFile(const std::string& path, const char* bytes, uint64_t size) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return IOError("cannot create '{}': {}", path, std::strerror(errno));
  uint64_t done = 0;
  while (done < size) {
    ssize_t n = ::write(fd, bytes + done, std::min<uint64_t>(size - done, uint64_t{1} << 30));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      Status s = IOError("cannot write '{}': {}", path, n < 0 ? std::strerror(errno) : "no progress");
      ::close(fd);
      return s;
    }
    done += static_cast<uint64_t>(n);
  }
  if (::close(fd) != 0) return IOError("cannot write '{}': {}", path, std::strerror(errno));
  return OkStatus();
}

}  // namespace

std::optional<RevisionPath> ParseRevisionPath(std::string_view arg) {
  if (arg.starts_with(':')) {
    std::string_view rest = arg.substr(1);
    if (rest.size() >= 2 && rest[0] >= '0' && rest[0] <= '3' && rest[1] == ':')
      return RevisionPath{"", std::string(rest.substr(2)), rest[0] - '0'};
    return RevisionPath{"", std::string(rest), 0};
  }
  int depth = 0;  // inside @{...}, where dates may hold ':'
  for (size_t i = 0; i < arg.size(); ++i) {
    if (arg[i] == '{') ++depth;
    else if (arg[i] == '}' && depth > 0) --depth;
    else if (arg[i] == ':' && depth == 0) return RevisionPath{std::string(arg.substr(0, i)), std::string(arg.substr(i + 1)), 0};
  }
  return std::nullopt;
}

std::optional<RevisionPath> RevisionPathArgument(const std::string& arg) {
  std::error_code ec;
  if (arg.find(':') == std::string::npos || fs::exists(fs::symlink_status(arg, ec))) return std::nullopt;
  return ParseRevisionPath(arg);
}

RevisionFile::RevisionFile(RevisionFile&& other) noexcept { *this = std::move(other); }

RevisionFile& RevisionFile::operator=(RevisionFile&& other) noexcept {
  if (this == &other) return *this;
  Remove();
  dir_ = std::exchange(other.dir_, {});
  path_ = std::exchange(other.path_, {});
  repo_path_ = std::exchange(other.repo_path_, {});
  blob_id_ = std::exchange(other.blob_id_, {});
  size_ = std::exchange(other.size_, 0);
  return *this;
}

RevisionFile::~RevisionFile() { Remove(); }

void RevisionFile::Remove() {
  if (!path_.empty()) ::unlink(path_.c_str());
  if (!dir_.empty()) ::rmdir(dir_.c_str());
  path_.clear();
  dir_.clear();
}

Result<RevisionFile> MaterializeRevisionFile(const RevisionPath& spec, const std::string& cwd) {
  GM_ASSIGN_OR_RETURN(std::optional<GitRepo> repo, DiscoverRepo(cwd));
  if (!repo) return InvalidArgument("{}: not in a git repository (REV:PATH names a file at a git revision)", Display(spec));
  GM_ASSIGN_OR_RETURN(std::string path, RepoRelativePath(*repo, spec, cwd));
  Result<BlobAt> at = spec.revision.empty() ? LookupInIndex(repo->get(), spec, path) : LookupInTree(repo->get(), spec, path);
  if (!at.ok()) return at.status();
  if (at->mode == GIT_FILEMODE_LINK) return InvalidArgument("{}: '{}' is a symbolic link in {}, not a file", Display(spec), path, Where(spec));
  git_blob* raw = nullptr;
  int error = git_blob_lookup(&raw, repo->get(), &at->id);
  if (error < 0) return GitError(error, fmt::format("{}: reading blob {}", Display(spec), OidHex(at->id)));
  GitBlobPtr blob(raw);

  RevisionFile file;
  std::string pattern = TempRoot() + "/gitmodel-rev-XXXXXX";
  if (!::mkdtemp(pattern.data())) return IOError("{}: cannot create a directory in '{}': {}", Display(spec), TempRoot(), std::strerror(errno));
  file.dir_ = pattern;
  file.path_ = file.dir_ + "/" + fs::path(path).filename().string();
  file.repo_path_ = path;
  file.blob_id_ = OidHex(at->id);
  file.size_ = git_blob_rawsize(blob.get());
  GM_RETURN_IF_ERROR(WriteNewFile(file.path_, static_cast<const char*>(git_blob_rawcontent(blob.get())), file.size_));
  return file;
}

Result<FileArgument> ResolveFileArgument(const std::string& arg, const std::string& cwd) {
  std::optional<RevisionPath> spec = RevisionPathArgument(arg);
  if (!spec) return FileArgument{arg, std::nullopt};
  GM_ASSIGN_OR_RETURN(RevisionFile file, MaterializeRevisionFile(*spec, cwd));
  std::string path = file.path();
  return FileArgument{std::move(path), std::move(file)};
}

}  // namespace gitmodel
