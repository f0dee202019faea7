#include "git/small_blobs.h"

#include <git2.h>

#include <cstring>
#include <set>
#include <unordered_set>

#include "git/git_handles.h"
#include "git/repo.h"

namespace gitmodel {
namespace {

using MaybeBlob = std::optional<std::string>;

using GitOdbObjectPtr = std::unique_ptr<git_odb_object, GitFree<git_odb_object, git_odb_object_free>>;
using GitRevwalkPtr = std::unique_ptr<git_revwalk, GitFree<git_revwalk, git_revwalk_free>>;
using GitReflogPtr = std::unique_ptr<git_reflog, GitFree<git_reflog, git_reflog_free>>;
using GitRefIteratorPtr = std::unique_ptr<git_reference_iterator, GitFree<git_reference_iterator, git_reference_iterator_free>>;

struct OidHash {
  size_t operator()(const git_oid& oid) const {
    size_t h;
    std::memcpy(&h, oid.id, sizeof h);
    return h;
  }
};
struct OidEq {
  bool operator()(const git_oid& a, const git_oid& b) const { return git_oid_equal(&a, &b); }
};
using OidSet = std::unordered_set<git_oid, OidHash, OidEq>;

// The blob's content when it passes `filter`; its header is read first so big blobs stay packed.
Result<std::optional<std::string>> ReadIfSmall(git_odb* odb, const git_oid& id, const SmallBlobFilter& filter) {
  size_t size = 0;
  git_object_t type;
  if (int e = git_odb_read_header(&size, &type, odb, &id); e < 0) return GitError(e, "reading an object header");
  if (type != GIT_OBJECT_BLOB || size > filter.max_bytes || size < filter.prefix.size()) return MaybeBlob();
  git_odb_object* raw = nullptr;
  if (int e = git_odb_read(&raw, odb, &id); e < 0) return GitError(e, "reading a blob");
  GitOdbObjectPtr object(raw);
  std::string content(static_cast<const char*>(git_odb_object_data(raw)), git_odb_object_size(raw));
  if (!content.starts_with(filter.prefix)) return MaybeBlob();
  return MaybeBlob(std::move(content));
}

Result<GitOdbPtr> OpenOdb(const GitRepo& repo) {
  git_odb* odb = nullptr;
  if (int e = git_repository_odb(&odb, repo.get()); e < 0) return GitError(e, "opening the object database");
  return GitOdbPtr(odb);
}

class BlobFinder {
 public:
  BlobFinder(git_odb* odb, const SmallBlobFilter& filter) : odb_(odb), filter_(filter) {}

  Status Blob(const git_oid& id, const std::string& path, const std::string& commit) {
    if (!seen_blobs_.insert(id).second) return OkStatus();
    GM_ASSIGN_OR_RETURN(std::optional<std::string> content, ReadIfSmall(odb_, id, filter_));
    if (content) found_.push_back({OidHex(id), path, commit, std::move(*content)});
    return OkStatus();
  }

  Status Tree(git_repository* repo, const git_oid& tree_id, const std::string& prefix, const std::string& commit) {
    if (!seen_trees_.insert(tree_id).second) return OkStatus();
    git_tree* raw = nullptr;
    if (int e = git_tree_lookup(&raw, repo, &tree_id); e < 0) return GitError(e, "reading a tree");
    GitTreePtr tree(raw);
    for (size_t i = 0, n = git_tree_entrycount(raw); i < n; ++i) {
      const git_tree_entry* entry = git_tree_entry_byindex(raw, i);
      const std::string path = prefix + git_tree_entry_name(entry);
      const git_oid* id = git_tree_entry_id(entry);
      if (git_tree_entry_type(entry) == GIT_OBJECT_TREE) {
        GM_RETURN_IF_ERROR(Tree(repo, *id, path + "/", commit));
      } else if (git_tree_entry_type(entry) == GIT_OBJECT_BLOB && git_tree_entry_filemode(entry) != GIT_FILEMODE_LINK) {
        GM_RETURN_IF_ERROR(Blob(*id, path, commit));
      }
    }
    return OkStatus();
  }

  std::vector<FoundBlob> Take() { return std::move(found_); }

 private:
  git_odb* odb_;
  const SmallBlobFilter& filter_;
  OidSet seen_trees_, seen_blobs_;
  std::vector<FoundBlob> found_;
};

Result<git_oid> CommitOf(const GitRepo& repo, const std::string& revision) {
  git_object* raw = nullptr;
  if (int e = git_revparse_single(&raw, repo.get(), revision.c_str()); e < 0) return GitError(e, "resolving " + revision);
  GitObjectPtr object(raw);
  git_object* peeled = nullptr;
  if (int e = git_object_peel(&peeled, raw, GIT_OBJECT_COMMIT); e < 0) return GitError(e, revision + " is not a commit");
  GitObjectPtr commit(peeled);
  return *git_object_id(peeled);
}

Status WalkCommits(const GitRepo& repo, const std::vector<std::string>& tips, const std::vector<std::string>& hidden,
                   BlobFinder& finder) {
  git_revwalk* raw = nullptr;
  if (int e = git_revwalk_new(&raw, repo.get()); e < 0) return GitError(e, "starting a history walk");
  GitRevwalkPtr walk(raw);
  for (const std::string& tip : tips) {
    GM_ASSIGN_OR_RETURN(git_oid id, CommitOf(repo, tip));
    if (int e = git_revwalk_push(raw, &id); e < 0) return GitError(e, "walking from " + tip);
  }
  for (const std::string& hide : hidden) {
    auto id = CommitOf(repo, hide);
    if (id.ok()) git_revwalk_hide(raw, &*id);  // a hidden commit this repository lacks hides nothing
  }
  git_oid id;
  while (git_revwalk_next(&id, raw) == 0) {
    git_commit* commit_raw = nullptr;
    if (int e = git_commit_lookup(&commit_raw, repo.get(), &id); e < 0) return GitError(e, "reading a commit");
    GitCommitPtr commit(commit_raw);
    GM_RETURN_IF_ERROR(finder.Tree(repo.get(), *git_commit_tree_id(commit_raw), "", OidHex(id)));
  }
  return OkStatus();
}

Status WalkIndex(const GitRepo& repo, BlobFinder& finder) {
  git_index* raw = nullptr;
  if (int e = git_repository_index(&raw, repo.get()); e < 0) return GitError(e, "reading the index");
  GitIndexPtr index(raw);
  for (size_t i = 0, n = git_index_entrycount(raw); i < n; ++i) {
    const git_index_entry* entry = git_index_get_byindex(raw, i);
    if (entry->mode == GIT_FILEMODE_BLOB || entry->mode == GIT_FILEMODE_BLOB_EXECUTABLE)
      GM_RETURN_IF_ERROR(finder.Blob(entry->id, entry->path, ""));
  }
  return OkStatus();
}

void AddReflogTips(git_repository* repo, const char* name, int64_t newer_than, std::set<std::string>& tips) {
  git_reflog* raw = nullptr;
  if (git_reflog_read(&raw, repo, name) < 0) return;
  GitReflogPtr reflog(raw);
  for (size_t i = 0, n = git_reflog_entrycount(raw); i < n; ++i) {
    const git_reflog_entry* entry = git_reflog_entry_byindex(raw, i);
    if (git_reflog_entry_committer(entry)->when.time < newer_than) continue;
    for (const git_oid* id : {git_reflog_entry_id_new(entry), git_reflog_entry_id_old(entry)})
      if (!git_oid_is_zero(id)) tips.insert(OidHex(*id));
  }
}

}  // namespace

Result<std::optional<std::string>> IndexSmallBlob(const GitRepo& repo, const std::string& path,
                                                  const SmallBlobFilter& filter) {
  EnsureLibgit2();
  git_index* raw = nullptr;
  if (int e = git_repository_index(&raw, repo.get()); e < 0) return GitError(e, "reading the index");
  GitIndexPtr index(raw);
  const git_index_entry* entry = git_index_get_bypath(raw, path.c_str(), 0);
  if (!entry) return MaybeBlob();
  GM_ASSIGN_OR_RETURN(GitOdbPtr odb, OpenOdb(repo));
  return ReadIfSmall(odb.get(), entry->id, filter);
}

Result<std::optional<std::string>> RevisionSmallBlob(const GitRepo& repo, std::string_view revision,
                                                     const std::string& path, const SmallBlobFilter& filter) {
  EnsureLibgit2();
  const std::string spec = std::string(revision) + ":" + path;
  git_object* raw = nullptr;
  int e = git_revparse_single(&raw, repo.get(), spec.c_str());
  if (e == GIT_ENOTFOUND) return MaybeBlob();
  if (e < 0) return GitError(e, "resolving " + spec);
  GitObjectPtr object(raw);
  if (git_object_type(raw) != GIT_OBJECT_BLOB) return MaybeBlob();
  GM_ASSIGN_OR_RETURN(GitOdbPtr odb, OpenOdb(repo));
  return ReadIfSmall(odb.get(), *git_object_id(raw), filter);
}

Result<std::vector<FoundBlob>> FindSmallBlobs(const GitRepo& repo, const std::vector<std::string>& tips,
                                              const std::vector<std::string>& hidden, bool include_index,
                                              const SmallBlobFilter& filter) {
  EnsureLibgit2();
  GM_ASSIGN_OR_RETURN(GitOdbPtr odb, OpenOdb(repo));
  BlobFinder finder(odb.get(), filter);
  if (include_index) GM_RETURN_IF_ERROR(WalkIndex(repo, finder));
  if (!tips.empty()) GM_RETURN_IF_ERROR(WalkCommits(repo, tips, hidden, finder));
  return finder.Take();
}

Result<std::vector<FoundBlob>> FindSmallBlobsAt(const GitRepo& repo, const std::vector<std::string>& revisions,
                                                const SmallBlobFilter& filter) {
  EnsureLibgit2();
  GM_ASSIGN_OR_RETURN(GitOdbPtr odb, OpenOdb(repo));
  BlobFinder finder(odb.get(), filter);
  for (const std::string& revision : revisions) {
    GM_ASSIGN_OR_RETURN(git_oid id, CommitOf(repo, revision));
    git_commit* raw = nullptr;
    if (int e = git_commit_lookup(&raw, repo.get(), &id); e < 0) return GitError(e, "reading " + revision);
    GitCommitPtr commit(raw);
    GM_RETURN_IF_ERROR(finder.Tree(repo.get(), *git_commit_tree_id(raw), "", OidHex(id)));
  }
  return finder.Take();
}

Result<std::vector<std::string>> IndexFilePaths(const GitRepo& repo) {
  EnsureLibgit2();
  git_index* raw = nullptr;
  if (int e = git_repository_index(&raw, repo.get()); e < 0) return GitError(e, "reading the index");
  GitIndexPtr index(raw);
  std::vector<std::string> out;
  for (size_t i = 0, n = git_index_entrycount(raw); i < n; ++i) {
    const git_index_entry* entry = git_index_get_byindex(raw, i);
    const bool file = entry->mode == GIT_FILEMODE_BLOB || entry->mode == GIT_FILEMODE_BLOB_EXECUTABLE;
    if (file && git_index_entry_stage(entry) == 0) out.push_back(entry->path);
  }
  return out;
}

Result<std::vector<std::string>> AllRefTips(const GitRepo& repo, std::optional<int64_t> reflog_newer_than) {
  EnsureLibgit2();
  git_reference_iterator* raw = nullptr;
  if (int e = git_reference_iterator_new(&raw, repo.get()); e < 0) return GitError(e, "listing refs");
  GitRefIteratorPtr it(raw);
  std::set<std::string> tips;
  git_reference* ref = nullptr;
  while (git_reference_next(&ref, raw) == 0) {
    GitReferencePtr owned(ref);
    git_object* peeled = nullptr;
    if (git_reference_peel(&peeled, ref, GIT_OBJECT_COMMIT) == 0) {
      tips.insert(OidHex(*git_object_id(peeled)));
      git_object_free(peeled);
    }
    if (reflog_newer_than) AddReflogTips(repo.get(), git_reference_name(ref), *reflog_newer_than, tips);
  }
  if (reflog_newer_than) AddReflogTips(repo.get(), "HEAD", *reflog_newer_than, tips);
  // A reflog may name commits that no longer exist: keep only what the walk can start from.
  std::vector<std::string> out;
  for (const std::string& tip : tips)
    if (CommitOf(repo, tip).ok()) out.push_back(tip);
  return out;
}

}  // namespace gitmodel
