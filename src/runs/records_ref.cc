#include "runs/records_ref.h"

#include <set>

#include "git/git_handles.h"
#include "runs/records_commit.h"
#include "runs/records_tree.h"

namespace gitmodel {
namespace {

using GitTreeEntryPtr = std::unique_ptr<git_tree_entry, GitFree<git_tree_entry, git_tree_entry_free>>;

// The entry at `path` in `tree`; nullptr when there is none.
Result<GitTreeEntryPtr> EntryAt(const git_tree* tree, const std::string& path, std::string_view ref) {
  git_tree_entry* raw = nullptr;
  int error = git_tree_entry_bypath(&raw, tree, path.c_str());
  if (error == GIT_ENOTFOUND) return GitTreeEntryPtr();
  if (error < 0) return Corrupt("{}: cannot read records path {}", ref, DisplayRecordPath(path));
  return GitTreeEntryPtr(raw);
}

bool IsDirectory(const git_tree_entry* entry) { return git_tree_entry_filemode_raw(entry) == GIT_FILEMODE_TREE; }

// Every path valid, none twice, none a directory of another, every content within the limit.
Status ValidateBatch(const std::vector<RecordFile>& files) {
  std::set<std::string_view> paths;
  for (const RecordFile& file : files) {
    GM_RETURN_IF_ERROR(ValidateRecordPath(file.path));
    if (!paths.insert(file.path).second)
      return InvalidArgument("record path {} given twice", DisplayRecordPath(file.path));
    if (file.content.size() > kMaxRecordFileBytes)
      return LimitExceeded("record {} has {} bytes, over the limit of {}", DisplayRecordPath(file.path),
                           file.content.size(), kMaxRecordFileBytes);
  }
  for (std::string_view path : paths) {
    for (size_t slash = path.find('/'); slash != std::string_view::npos; slash = path.find('/', slash + 1)) {
      if (paths.contains(path.substr(0, slash)))
        return InvalidArgument("record path {} is below record file {}", DisplayRecordPath(path),
                               DisplayRecordPath(path.substr(0, slash)));
    }
  }
  return OkStatus();
}

// Every file of the batch fits `tree`: it is not a directory there, and none of its parents is a file.
Status CheckFitsTree(const git_tree* tree, const std::vector<RecordFile>& files, std::string_view ref) {
  for (const RecordFile& file : files) {
    GM_ASSIGN_OR_RETURN(GitTreeEntryPtr entry, EntryAt(tree, file.path, ref));
    if (entry && IsDirectory(entry.get()))
      return InvalidArgument("record path {} is a directory of records in {}", DisplayRecordPath(file.path), ref);
    for (size_t slash = file.path.find('/'); slash != std::string::npos; slash = file.path.find('/', slash + 1)) {
      GM_ASSIGN_OR_RETURN(GitTreeEntryPtr parent, EntryAt(tree, file.path.substr(0, slash), ref));
      if (!parent) break;
      if (!IsDirectory(parent.get()))
        return InvalidArgument("record path {} is below {}, a record file in {}", DisplayRecordPath(file.path),
                               DisplayRecordPath(file.path.substr(0, slash)), ref);
    }
  }
  return OkStatus();
}

Result<std::vector<git_oid>> WriteBlobs(const GitRepo& repo, const std::vector<RecordFile>& files) {
  std::vector<git_oid> ids(files.size());
  for (size_t i = 0; i < files.size(); ++i) {
    const std::string& content = files[i].content;
    if (int error = git_blob_create_from_buffer(&ids[i], repo.get(), content.data(), content.size()); error < 0)
      return GitError(error, fmt::format("writing record {}", DisplayRecordPath(files[i].path)));
  }
  return ids;
}

Result<git_oid> UpdatedTree(const GitRepo& repo, git_tree* base, const std::vector<RecordFile>& files,
                            const std::vector<git_oid>& blobs) {
  std::vector<git_tree_update> updates(files.size());
  for (size_t i = 0; i < files.size(); ++i) {
    updates[i] = git_tree_update{GIT_TREE_UPDATE_UPSERT, blobs[i], GIT_FILEMODE_BLOB, files[i].path.c_str()};
  }
  git_oid out;
  if (int error = git_tree_create_updated(&out, repo.get(), base, updates.size(), updates.data()); error < 0)
    return GitError(error, fmt::format("building the records tree of {}", kRecordsRef));
  return out;
}

// The directory `prefix` at the tip of `ref`; nullptr when the ref or directory does not exist.
Result<GitTreePtr> RecordsDirectory(const GitRepo& repo, std::string_view ref, const std::string& prefix) {
  GM_ASSIGN_OR_RETURN(std::optional<git_oid> tip, ReadRecordsTip(repo, ref));
  if (!tip) return GitTreePtr();
  GM_ASSIGN_OR_RETURN(GitTreePtr root, RecordsTreeOf(repo, *tip, ref));
  if (prefix.empty()) return root;
  GM_ASSIGN_OR_RETURN(GitTreeEntryPtr entry, EntryAt(root.get(), prefix, ref));
  if (!entry || !IsDirectory(entry.get())) return GitTreePtr();
  git_tree* raw = nullptr;
  if (git_tree_lookup(&raw, repo.get(), git_tree_entry_id(entry.get())) < 0)
    return Corrupt("{}: records directory {} is missing or not a tree", ref, DisplayRecordPath(prefix));
  return GitTreePtr(raw);
}

}  // namespace

Status WriteRecords(const GitRepo& repo, const std::vector<RecordFile>& files, std::string_view message) {
  if (files.empty()) return OkStatus();
  GM_RETURN_IF_ERROR(ValidateBatch(files));
  GM_ASSIGN_OR_RETURN(std::vector<git_oid> blobs, WriteBlobs(repo, files));
  auto step = [&](const std::optional<git_oid>& tip) -> Result<std::optional<git_oid>> {
    GM_ASSIGN_OR_RETURN(GitTreePtr base, tip ? RecordsTreeOf(repo, *tip, kRecordsRef) : EmptyRecordsTree(repo));
    GM_RETURN_IF_ERROR(CheckFitsTree(base.get(), files, kRecordsRef));
    GM_ASSIGN_OR_RETURN(git_oid tree, UpdatedTree(repo, base.get(), files, blobs));
    if (tip && git_oid_equal(&tree, git_tree_id(base.get()))) return std::optional<git_oid>();
    std::vector<git_oid> parents;
    if (tip) parents.push_back(*tip);
    GM_ASSIGN_OR_RETURN(git_oid commit, CommitRecordsTree(repo, tree, parents, message));
    return std::optional<git_oid>(commit);
  };
  return AdvanceRecordsRef(repo, kRecordsRef, step);
}

Result<std::vector<RecordFile>> ReadRecords(const GitRepo& repo, std::string_view ref, std::string_view prefix) {
  if (prefix.ends_with('/')) prefix.remove_suffix(1);
  if (!prefix.empty()) GM_RETURN_IF_ERROR(ValidateRecordPath(prefix, "records prefix"));
  GM_ASSIGN_OR_RETURN(GitTreePtr directory, RecordsDirectory(repo, ref, std::string(prefix)));
  std::vector<RecordFile> records;
  if (!directory) return records;
  GM_ASSIGN_OR_RETURN(RecordTreeListing listing, ListRecordTree(repo, directory.get(), prefix, ref));
  size_t total = 0;
  for (const auto& [path, id] : listing.files) {
    GM_ASSIGN_OR_RETURN(std::string content, ReadRecordBlob(repo, id, path, ref));
    total += content.size();
    if (total > kMaxRecordsReadBytes)
      return LimitExceeded("{}: the records under {} hold more than {} bytes", ref,
                           prefix.empty() ? std::string("the root") : DisplayRecordPath(prefix), kMaxRecordsReadBytes);
    records.push_back(RecordFile{path, std::move(content)});
  }
  return records;
}

Result<std::optional<std::string>> ReadRecord(const GitRepo& repo, std::string_view ref, std::string_view path) {
  GM_RETURN_IF_ERROR(ValidateRecordPath(path));
  GM_ASSIGN_OR_RETURN(std::optional<git_oid> tip, ReadRecordsTip(repo, ref));
  if (!tip) return std::optional<std::string>();
  GM_ASSIGN_OR_RETURN(GitTreePtr root, RecordsTreeOf(repo, *tip, ref));
  const std::string file(path);
  GM_ASSIGN_OR_RETURN(GitTreeEntryPtr entry, EntryAt(root.get(), file, ref));
  if (!entry) return std::optional<std::string>();
  if (IsDirectory(entry.get()))
    return InvalidArgument("{}: {} is a directory of records", ref, DisplayRecordPath(file));
  if (git_tree_entry_filemode_raw(entry.get()) != GIT_FILEMODE_BLOB)
    return Corrupt("{}: records entry {} has mode {:o}; records are plain files", ref, DisplayRecordPath(file),
                   static_cast<unsigned>(git_tree_entry_filemode_raw(entry.get())));
  GM_ASSIGN_OR_RETURN(std::string content, ReadRecordBlob(repo, *git_tree_entry_id(entry.get()), file, ref));
  return std::optional<std::string>(std::move(content));
}

}  // namespace gitmodel
