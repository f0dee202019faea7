#include "runs/records_tree.h"

#include <vector>

#include "git/git_handles.h"
#include "git/path_quote.h"

namespace gitmodel {
namespace {

using GitTreeBuilderPtr = std::unique_ptr<git_treebuilder, GitFree<git_treebuilder, git_treebuilder_free>>;

Status ValidateComponent(std::string_view path, std::string_view component, std::string_view what) {
  if (component.empty()) return InvalidArgument("{} {}: empty component", what, DisplayRecordPath(path));
  if (component == "." || component == "..")
    return InvalidArgument("{} {}: '{}' component", what, DisplayRecordPath(path), component);
  for (unsigned char c : component) {
    if (c < 0x20 || c == 0x7f) return InvalidArgument("{} {}: control character", what, DisplayRecordPath(path));
  }
  return OkStatus();
}

std::string JoinPath(std::string_view base, std::string_view name) {
  return base.empty() ? std::string(name) : fmt::format("{}/{}", base, name);
}

class TreeLister {
 public:
  TreeLister(const GitRepo& repo, std::string_view ref) : repo_(repo), ref_(ref) {}

  Status List(const git_tree* tree, const std::string& base, size_t depth) {
    if (depth > kMaxRecordPathDepth)
      return Corrupt("{}: records directory {} is nested too deep", ref_, DisplayRecordPath(base));
    for (size_t i = 0, n = git_tree_entrycount(tree); i < n; ++i) {
      GM_RETURN_IF_ERROR(AddEntry(git_tree_entry_byindex(tree, i), base, depth));
    }
    return OkStatus();
  }

  RecordTreeListing Take() { return std::move(listing_); }

 private:
  Status AddEntry(const git_tree_entry* entry, const std::string& base, size_t depth) {
    const std::string_view name = git_tree_entry_name(entry);
    const std::string path = JoinPath(base, name);
    if (name.find('/') != std::string_view::npos)
      return Corrupt("{}: records entry {} has a '/' in its name", ref_, DisplayRecordPath(path));
    Status valid = ValidateRecordPath(path, "records entry");
    if (!valid.ok()) return Status(Code::kCorrupt, fmt::format("{}: {}", ref_, valid.message()));
    if (listing_.files.contains(path) || listing_.directories.contains(path))
      return Corrupt("{}: records entry {} appears twice", ref_, DisplayRecordPath(path));
    if (listing_.files.size() + listing_.directories.size() >= kMaxRecordEntries)
      return Corrupt("{}: more than {} records files and directories", ref_, kMaxRecordEntries);
    const git_filemode_t mode = git_tree_entry_filemode_raw(entry);  // exact: trees stay canonical
    if (mode == GIT_FILEMODE_TREE) return AddDirectory(entry, path, depth);
    if (mode != GIT_FILEMODE_BLOB)
      return Corrupt("{}: records entry {} has mode {:o}; records are plain files", ref_, DisplayRecordPath(path),
                     static_cast<unsigned>(mode));
    listing_.files.emplace(path, *git_tree_entry_id(entry));
    return OkStatus();
  }

  Status AddDirectory(const git_tree_entry* entry, const std::string& path, size_t depth) {
    git_tree* raw = nullptr;
    if (git_tree_lookup(&raw, repo_.get(), git_tree_entry_id(entry)) < 0)
      return Corrupt("{}: records directory {} is missing or not a tree", ref_, DisplayRecordPath(path));
    GitTreePtr subtree(raw);
    listing_.directories.insert(path);
    return List(subtree.get(), path, depth + 1);
  }

  const GitRepo& repo_;
  std::string ref_;
  RecordTreeListing listing_;
};

// Writes the tree for files[begin, end), all of which start with `dir` ("" or "a/b/").
Result<git_oid> WriteDirectory(const GitRepo& repo, const std::map<std::string, git_oid>& files,
                               std::map<std::string, git_oid>::const_iterator begin,
                               std::map<std::string, git_oid>::const_iterator end, const std::string& dir) {
  git_treebuilder* raw = nullptr;
  if (int error = git_treebuilder_new(&raw, repo.get(), nullptr); error < 0)
    return GitError(error, "creating a records tree");
  GitTreeBuilderPtr builder(raw);
  for (auto it = begin; it != end;) {
    std::string_view rest = std::string_view(it->first).substr(dir.size());
    const size_t slash = rest.find('/');
    const std::string name(rest.substr(0, slash));
    git_oid id = it->second;
    git_filemode_t mode = GIT_FILEMODE_BLOB;
    if (slash == std::string_view::npos) {
      ++it;
    } else {
      // Paths below `name/` are contiguous in byte order; '0' is the byte after '/'.
      const std::string sub = dir + name + "/";
      auto sub_end = files.lower_bound(dir + name + "0");
      GM_ASSIGN_OR_RETURN(id, WriteDirectory(repo, files, it, sub_end, sub));
      mode = GIT_FILEMODE_TREE;
      it = sub_end;
    }
    if (int error = git_treebuilder_insert(nullptr, builder.get(), name.c_str(), &id, mode); error < 0)
      return GitError(error, fmt::format("adding {} to a records tree", DisplayRecordPath(dir + name)));
  }
  git_oid out;
  if (int error = git_treebuilder_write(&out, builder.get()); error < 0)
    return GitError(error, "writing a records tree");
  return out;
}

}  // namespace

std::string DisplayRecordPath(std::string_view path) {
  std::string quoted = QuoteGitPath(path);
  return quoted.starts_with('"') ? quoted : fmt::format("'{}'", quoted);
}

Status ValidateRecordPath(std::string_view path, std::string_view what) {
  if (path.empty()) return InvalidArgument("{}: empty", what);
  if (path.size() > kMaxRecordPathBytes)
    return InvalidArgument("{} {}...: longer than {} bytes", what, DisplayRecordPath(path.substr(0, 64)),
                           kMaxRecordPathBytes);
  size_t depth = 0;
  for (size_t start = 0;; ++depth) {
    const size_t slash = path.find('/', start);
    GM_RETURN_IF_ERROR(ValidateComponent(path, path.substr(start, slash - start), what));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  if (depth >= kMaxRecordPathDepth)
    return InvalidArgument("{} {}: more than {} levels", what, DisplayRecordPath(path), kMaxRecordPathDepth);
  return OkStatus();
}

Result<RecordTreeListing> ListRecordTree(const GitRepo& repo, const git_tree* tree, std::string_view base,
                                         std::string_view ref) {
  TreeLister lister(repo, ref);
  GM_RETURN_IF_ERROR(lister.List(tree, std::string(base), 0));
  return lister.Take();
}

Result<std::string> ReadRecordBlob(const GitRepo& repo, const git_oid& id, std::string_view path,
                                   std::string_view ref) {
  git_odb* raw_odb = nullptr;
  if (int error = git_repository_odb(&raw_odb, repo.get()); error < 0)
    return GitError(error, "opening the object database");
  GitOdbPtr odb(raw_odb);
  size_t size = 0;
  git_object_t type = GIT_OBJECT_INVALID;
  if (git_odb_read_header(&size, &type, odb.get(), &id) < 0 || type != GIT_OBJECT_BLOB)
    return Corrupt("{}: record {} ({}) is missing or not a blob", ref, DisplayRecordPath(path), OidHex(id));
  if (size > kMaxRecordFileBytes)
    return LimitExceeded("{}: record {} has {} bytes, over the limit of {}", ref, DisplayRecordPath(path), size,
                         kMaxRecordFileBytes);
  git_blob* raw_blob = nullptr;
  if (int error = git_blob_lookup(&raw_blob, repo.get(), &id); error < 0)
    return GitError(error, fmt::format("{}: reading record {}", ref, DisplayRecordPath(path)));
  GitBlobPtr blob(raw_blob);
  const auto* bytes = static_cast<const char*>(git_blob_rawcontent(blob.get()));
  return std::string(bytes, static_cast<size_t>(git_blob_rawsize(blob.get())));
}

Result<git_oid> WriteRecordTree(const GitRepo& repo, const std::map<std::string, git_oid>& files) {
  return WriteDirectory(repo, files, files.begin(), files.end(), "");
}

std::string FindFileDirectoryClash(const RecordTreeListing& a, const RecordTreeListing& b) {
  for (const auto& [path, id] : a.files) {
    if (b.directories.contains(path)) return path;
  }
  for (const auto& [path, id] : b.files) {
    if (a.directories.contains(path)) return path;
  }
  return "";
}

}  // namespace gitmodel
