#include "git/staged_changes.h"

#include "git/git_handles.h"

namespace gitmodel {
namespace {

// HEAD's tree, or null when HEAD is unborn (the first commit).
Result<GitTreePtr> HeadTree(git_repository* repo) {
  git_object* raw = nullptr;
  int error = git_revparse_single(&raw, repo, "HEAD^{tree}");
  if (error == GIT_ENOTFOUND || error == GIT_EUNBORNBRANCH) return GitTreePtr();
  if (error < 0) return GitError(error, "reading HEAD's tree");
  return GitTreePtr(reinterpret_cast<git_tree*>(raw));
}

Result<uint64_t> BlobSize(git_odb* odb, const git_oid& id) {
  size_t size = 0;
  git_object_t type = GIT_OBJECT_INVALID;
  int error = git_odb_read_header(&size, &type, odb, &id);
  if (error < 0) return GitError(error, fmt::format("reading the size of blob {}", OidHex(id)));
  return static_cast<uint64_t>(size);
}

Result<StagedChange> ToChange(const git_diff_delta& d, git_odb* odb) {
  StagedChange c;
  const bool deleted = d.status == GIT_DELTA_DELETED;
  c.kind = d.status == GIT_DELTA_ADDED ? StagedChange::Kind::kAdded
           : deleted                   ? StagedChange::Kind::kDeleted
                                       : StagedChange::Kind::kModified;
  c.path = deleted ? d.old_file.path : d.new_file.path;
  if (d.status != GIT_DELTA_ADDED) c.old_id = OidHex(d.old_file.id);
  if (!deleted) {
    c.new_id = OidHex(d.new_file.id);
    GM_ASSIGN_OR_RETURN(c.new_size, BlobSize(odb, d.new_file.id));
  }
  return c;
}

bool IsGitlink(const git_diff_delta& d) {
  return d.old_file.mode == GIT_FILEMODE_COMMIT || d.new_file.mode == GIT_FILEMODE_COMMIT;
}

}  // namespace

Result<std::vector<StagedChange>> ReadStagedChanges(const GitRepo& repo) {
  git_repository* r = repo.get();
  GM_ASSIGN_OR_RETURN(GitTreePtr head, HeadTree(r));
  git_index* raw_index = nullptr;
  int error = git_repository_index(&raw_index, r);
  if (error < 0) return GitError(error, "reading the index");
  GitIndexPtr index(raw_index);
  // The repository caches its index; read it again if the file changed since (force = 0).
  error = git_index_read(index.get(), 0);
  if (error < 0) return GitError(error, "reading the index");
  git_diff_options options = GIT_DIFF_OPTIONS_INIT;
  options.flags |= GIT_DIFF_IGNORE_SUBMODULES;
  git_diff* raw_diff = nullptr;
  error = git_diff_tree_to_index(&raw_diff, r, head.get(), index.get(), &options);
  if (error < 0) return GitError(error, "comparing the index with HEAD");
  GitDiffPtr diff(raw_diff);
  git_odb* raw_odb = nullptr;
  error = git_repository_odb(&raw_odb, r);
  if (error < 0) return GitError(error, "opening the object database");
  GitOdbPtr odb(raw_odb);
  std::vector<StagedChange> changes;
  for (size_t i = 0, n = git_diff_num_deltas(diff.get()); i < n; ++i) {
    const git_diff_delta* d = git_diff_get_delta(diff.get(), i);
    if (IsGitlink(*d)) continue;
    if (d->status == GIT_DELTA_TYPECHANGE && d->new_file.mode == 0) continue;
    GM_ASSIGN_OR_RETURN(StagedChange c, ToChange(*d, odb.get()));
    changes.push_back(std::move(c));
  }
  return changes;
}

Result<std::string> ReadBlobBytes(const GitRepo& repo, std::string_view hex_id, uint64_t max_bytes) {
  git_oid id;
  std::string hex(hex_id);
  if (git_oid_fromstr(&id, hex.c_str()) < 0) return InvalidArgument("'{}' is not a blob id", hex);
  git_blob* raw = nullptr;
  int error = git_blob_lookup(&raw, repo.get(), &id);
  if (error < 0) return GitError(error, fmt::format("reading blob {}", hex));
  GitBlobPtr blob(raw);
  const uint64_t size = static_cast<uint64_t>(git_blob_rawsize(blob.get()));
  if (size > max_bytes) return LimitExceeded("blob {} is {} bytes, more than the limit of {}", hex, size, max_bytes);
  return std::string(static_cast<const char*>(git_blob_rawcontent(blob.get())), size);
}

Result<std::string> PathAttribute(const GitRepo& repo, std::string_view path, std::string_view name) {
  const char* value = nullptr;
  std::string p(path), n(name);
  int error = git_attr_get(&value, repo.get(), GIT_ATTR_CHECK_FILE_THEN_INDEX, p.c_str(), n.c_str());
  if (error < 0) return GitError(error, fmt::format("reading attribute '{}' of '{}'", n, p));
  switch (git_attr_value(value)) {
    case GIT_ATTR_VALUE_TRUE: return std::string("true");
    case GIT_ATTR_VALUE_FALSE: return std::string("false");
    case GIT_ATTR_VALUE_STRING: return std::string(value);
    default: return std::string();
  }
}

}  // namespace gitmodel
