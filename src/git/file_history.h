// Walks a commit range and reports, for every commit, how its selected files (configs) differ
// from its first parent's: what `git log -- <paths>` selects, in-process and without diffing
// whole trees (only the selected paths' blob ids are compared).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "git/repo.h"
#include "git/selected_files.h"
#include "gitmodel/status.h"

namespace gitmodel {

struct CommitMeta {
  std::string id;                    // full hex id
  std::string tree;                  // its tree's hex id
  std::vector<std::string> parents;  // full hex ids, first parent first
  std::string author, email;
  int64_t time = 0;                  // author time, seconds since the epoch
  int offset_minutes = 0;            // author time zone
  std::string subject;               // the message's first paragraph on one line
};

struct HistoryOptions {
  std::string range = "HEAD";  // "REV", "A..B" (B's commits not reachable from A), "A.." or "..B"
  bool first_parent = false;   // follow only first parents
};

// Called, newest first (topological, then by time), for every commit whose selected files differ
// from its first parent's (a root commit compares with nothing). `deltas` is non-empty.
using HistoryVisitor = std::function<Status(const CommitMeta& commit, const std::vector<FileDelta>& deltas)>;

// kInvalidArgument / kNotFound naming a revision of the range that names no commit; an error
// from `visit` stops the walk and is returned.
Status WalkFileHistory(const GitRepo& repo, const HistoryOptions& options, SelectedFiles& files,
                       const HistoryVisitor& visit);

// True when the history of `tip` is that of `base` plus commits that all descend from `base`
// only: `base` != `tip`, and every commit reachable from `tip` but not from `base` has a parent and
// all its parents (its first parent, with `first_parent`) in that set or equal to `base`. Then a
// walk from `tip` lists those commits first and then exactly what a walk from `base` lists, in
// the same order. Both are commit ids (hex).
Result<bool> ExtendsHistoryOf(const GitRepo& repo, const std::string& tip, const std::string& base,
                              bool first_parent);

// The commit `revision` names (kNotFound when none).
Result<CommitMeta> ReadCommitMeta(const GitRepo& repo, std::string_view revision);

}  // namespace gitmodel
