#include "store/pointer_expand.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "base/atomic_file.h"
#include "git/repo.h"
#include "store/object_store.h"
#include "store/pointer.h"
#include "store/smudge_file.h"

namespace gitmodel {
namespace {

Result<std::string> MakePrivateDir() {
  const char* tmp = std::getenv("TMPDIR");
  std::string dir = std::string(tmp && *tmp ? tmp : "/tmp") + "/gitmodel-ptr-XXXXXX";
  if (!::mkdtemp(dir.data())) return IOError("{}: cannot create a temporary directory: {}", dir, std::strerror(errno));
  return dir;
}

Status WriteSmudged(const ObjectStore& store, const Pointer& pointer, const std::string& out_path) {
  GM_ASSIGN_OR_RETURN(AtomicFileWriter writer, AtomicFileWriter::Create(out_path, 0600));
  GM_RETURN_IF_ERROR(SmudgeFile(store, pointer, [&](std::span<const std::byte> bytes) { return writer.Write(bytes); }));
  return writer.Commit();
}

}  // namespace

ExpandedFile::ExpandedFile(ExpandedFile&& other) noexcept
    : dir_(std::exchange(other.dir_, {})), path_(std::exchange(other.path_, {})) {}

ExpandedFile& ExpandedFile::operator=(ExpandedFile&& other) noexcept {
  std::swap(dir_, other.dir_);
  std::swap(path_, other.path_);
  return *this;
}

ExpandedFile::~ExpandedFile() {
  if (dir_.empty()) return;
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

Result<std::optional<ExpandedFile>> ExpandPointerFile(const std::string& path, const std::string& repo_dir) {
  using Out = std::optional<ExpandedFile>;
  std::error_code ec;
  const uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec || size > kMaxPointerBytes) return Out();
  auto text = ReadSmallFile(path, kMaxPointerBytes);
  if (!text.ok() || !LooksLikePointer(*text)) return Out();
  GM_ASSIGN_OR_RETURN(Pointer pointer, ParsePointer(*text));
  GM_ASSIGN_OR_RETURN(std::optional<GitRepo> repo, DiscoverRepo(repo_dir));
  if (!repo) return NotFound("{} is a git-model pointer, and there is no repository here to read its objects from", path);
  const ObjectStore store(GitModelDir(*repo));
  GM_ASSIGN_OR_RETURN(std::vector<ObjectId> missing, MissingObjects(store, pointer));
  if (!missing.empty())
    return NotFound("{} is a git-model pointer whose objects are not in the local store (run `git model pull`)", path);
  GM_ASSIGN_OR_RETURN(std::string dir, MakePrivateDir());
  ExpandedFile expanded(dir, dir + "/" + std::filesystem::path(path).filename().string());
  GM_RETURN_IF_ERROR(WriteSmudged(store, pointer, expanded.path()));
  return Out(std::move(expanded));
}

}  // namespace gitmodel
