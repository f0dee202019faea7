// Internal to the records ref (runs/records_ref.h, runs/records_merge.h): the trees of record
// files, read as untrusted input and written canonically.
//
// A records tree holds only plain files (mode 100644) and directories (040000). Anything else
// (symlinks, executables, submodules), a name that is not a valid record path component, a
// duplicate name, a path deeper or longer than the limits of runs/records_ref.h, or more than
// kMaxRecordEntries files and directories is a one-line Corrupt error naming the path: the tree
// may have come from a remote.
#pragma once

#include <git2.h>

#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <string_view>

#include "git/repo.h"
#include "runs/records_ref.h"
#include "gitmodel/status.h"

namespace gitmodel {

inline constexpr size_t kMaxRecordEntries = 1'000'000;  // files and directories of one tree

// `path` for messages: 'runs/a' in single quotes, or C-quoted as git quotes it ("a\tb") when it holds
// control, non-ASCII, '"' or '\\' bytes.
std::string DisplayRecordPath(std::string_view path);

// Ok when `path` is relative, '/'-separated, of at most kMaxRecordPathBytes bytes and
// kMaxRecordPathDepth components, none empty, "." or "..", and free of control bytes
// (< 0x20, 0x7f). `what` starts the error message ("record path").
Status ValidateRecordPath(std::string_view path, std::string_view what = "record path");

struct OidLess {
  bool operator()(const git_oid& a, const git_oid& b) const { return git_oid_cmp(&a, &b) < 0; }
};

// The files of a records tree: path -> blob id, and every directory path (for clash checks).
struct RecordTreeListing {
  std::map<std::string, git_oid> files;
  std::set<std::string> directories;
};

// Lists every file under `tree`, each path prefixed with `base` + "/" (no prefix when `base` is
// empty), validating as described above. `ref` names the tree's origin in error messages.
Result<RecordTreeListing> ListRecordTree(const GitRepo& repo, const git_tree* tree, std::string_view base,
                                         std::string_view ref);

// The content of blob `id` at `path`; LimitExceeded over kMaxRecordFileBytes (checked from the
// object header, before reading), Corrupt when the object is missing or not a blob.
Result<std::string> ReadRecordBlob(const GitRepo& repo, const git_oid& id, std::string_view path,
                                   std::string_view ref);

// Writes the canonical tree holding exactly `files` (paths already validated; no path may be a
// directory of another) and returns its id. Two calls with the same files give the same id.
Result<git_oid> WriteRecordTree(const GitRepo& repo, const std::map<std::string, git_oid>& files);

// A file path that is a directory (or below a file) of the other listing, if any: two such trees
// cannot be united. Empty when they fit together.
std::string FindFileDirectoryClash(const RecordTreeListing& a, const RecordTreeListing& b);

}  // namespace gitmodel
