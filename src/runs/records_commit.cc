#include "runs/records_commit.h"

#include <chrono>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace gitmodel {
namespace {

using GitSignaturePtr = std::unique_ptr<git_signature, GitFree<git_signature, git_signature_free>>;

Result<GitSignaturePtr> RecordsSignature(const GitRepo& repo) {
  git_signature* raw = nullptr;
  if (git_signature_default(&raw, repo.get()) == 0) return GitSignaturePtr(raw);
  if (int error = git_signature_now(&raw, "git-model", "git-model@localhost"); error < 0)
    return GitError(error, "creating the records commit signature");
  return GitSignaturePtr(raw);
}

bool LostRace(int error) { return error == GIT_EMODIFIED || error == GIT_EEXISTS || error == GIT_ELOCKED; }

// Moves `ref` from `tip` (nullopt: creates it) to `next`; the libgit2 code, 0 on success.
// The old value is compared under the ref's lock. A missing ref is expected as the zero id: plain
// git_reference_create(force=0) checks that the ref is absent before taking the lock, so two
// creators could both succeed and the first commit would be lost.
int CompareAndSwap(const GitRepo& repo, const std::string& ref, const std::optional<git_oid>& tip,
                   const git_oid& next) {
  const git_oid expected = tip ? *tip : git_oid{};  // the zero id: the ref must not exist
  git_reference* out = nullptr;
  int error = git_reference_create_matching(&out, repo.get(), ref.c_str(), &next, /*force=*/1, &expected,
                                            "git-model: records");
  git_reference_free(out);
  return error;
}

// Waits 1..2^attempt ms (at most 64), so that writers that collided spread out.
void Backoff(int attempt) {
  thread_local std::mt19937 random(std::random_device{}());
  const int most = 1 << std::min(attempt + 1, 6);
  std::uniform_int_distribution<int> millis(1, most);
  std::this_thread::sleep_for(std::chrono::milliseconds(millis(random)));
}

}  // namespace

Result<std::optional<git_oid>> ReadRecordsTip(const GitRepo& repo, std::string_view ref) {
  const std::string name(ref);
  int valid = 0;
  if (git_reference_name_is_valid(&valid, name.c_str()) < 0 || !valid || !name.starts_with("refs/"))
    return InvalidArgument("'{}' is not a valid full ref name", name);
  git_reference* raw = nullptr;
  int error = git_reference_lookup(&raw, repo.get(), name.c_str());
  if (error == GIT_ENOTFOUND) return std::optional<git_oid>();
  if (error < 0) return GitError(error, fmt::format("reading {}", name));
  GitReferencePtr reference(raw);
  if (git_reference_type(reference.get()) != GIT_REFERENCE_DIRECT)
    return Corrupt("{} is a symbolic ref; records refs point to commits", name);
  const git_oid tip = *git_reference_target(reference.get());
  git_commit* commit = nullptr;
  if (git_commit_lookup(&commit, repo.get(), &tip) < 0)
    return Corrupt("{} points to {}, which is missing or not a commit", name, OidHex(tip));
  git_commit_free(commit);
  return std::optional<git_oid>(tip);
}

Result<GitTreePtr> RecordsTreeOf(const GitRepo& repo, const git_oid& commit_id, std::string_view ref) {
  git_commit* raw_commit = nullptr;
  if (git_commit_lookup(&raw_commit, repo.get(), &commit_id) < 0)
    return Corrupt("{}: commit {} is missing", ref, OidHex(commit_id));
  GitCommitPtr commit(raw_commit);
  git_tree* raw_tree = nullptr;
  if (git_commit_tree(&raw_tree, commit.get()) < 0)
    return Corrupt("{}: the tree of commit {} is missing or malformed", ref, OidHex(commit_id));
  return GitTreePtr(raw_tree);
}

Result<GitTreePtr> EmptyRecordsTree(const GitRepo& repo) {
  git_oid id;
  if (int error = git_oid_fromstr(&id, "4b825dc642cb6eb9a060e54bf8d69288fbee4904"); error < 0)
    return GitError(error, "naming the empty tree");
  git_treebuilder* builder = nullptr;
  if (int error = git_treebuilder_new(&builder, repo.get(), nullptr); error < 0)
    return GitError(error, "creating the empty tree");
  int error = git_treebuilder_write(&id, builder);
  git_treebuilder_free(builder);
  if (error < 0) return GitError(error, "writing the empty tree");
  git_tree* tree = nullptr;
  if (error = git_tree_lookup(&tree, repo.get(), &id); error < 0) return GitError(error, "reading the empty tree");
  return GitTreePtr(tree);
}

Result<git_oid> CommitRecordsTree(const GitRepo& repo, const git_oid& tree_id, std::span<const git_oid> parents,
                                  std::string_view message) {
  GM_ASSIGN_OR_RETURN(GitSignaturePtr signature, RecordsSignature(repo));
  git_tree* raw_tree = nullptr;
  if (int error = git_tree_lookup(&raw_tree, repo.get(), &tree_id); error < 0)
    return GitError(error, "reading the new records tree");
  GitTreePtr tree(raw_tree);
  std::vector<GitCommitPtr> owned;
  std::vector<const git_commit*> parent_commits;
  for (const git_oid& id : parents) {
    git_commit* raw = nullptr;
    if (int error = git_commit_lookup(&raw, repo.get(), &id); error < 0)
      return GitError(error, fmt::format("reading records commit {}", OidHex(id)));
    owned.emplace_back(raw);
    parent_commits.push_back(raw);
  }
  std::string text(message);
  if (text.empty() || text.back() != '\n') text += '\n';
  git_oid out;
  int error = git_commit_create(&out, repo.get(), nullptr, signature.get(), signature.get(), nullptr, text.c_str(),
                                tree.get(), parent_commits.size(), parent_commits.data());
  if (error < 0) return GitError(error, "creating a records commit");
  return out;
}

Status AdvanceRecordsRef(const GitRepo& repo, std::string_view ref, const RecordsRefStep& step) {
  const std::string name(ref);
  for (int attempt = 0; attempt < kMaxRecordsRefAttempts; ++attempt) {
    if (attempt > 0) Backoff(attempt);
    GM_ASSIGN_OR_RETURN(std::optional<git_oid> tip, ReadRecordsTip(repo, name));
    GM_ASSIGN_OR_RETURN(std::optional<git_oid> next, step(tip));
    if (!next || (tip && git_oid_equal(&*tip, &*next))) return OkStatus();
    const int error = CompareAndSwap(repo, name, tip, *next);
    if (error == 0) return OkStatus();
    if (!LostRace(error)) return GitError(error, fmt::format("updating {}", name));
  }
  return Status(Code::kConflict, fmt::format("cannot update {}: other writers kept moving it in {} attempts "
                                             "(or a stale {}.lock is left in the git directory)",
                                             name, kMaxRecordsRefAttempts, name));
}

}  // namespace gitmodel
