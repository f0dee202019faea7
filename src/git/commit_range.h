// The commits between two revisions, as `git log FROM..TO` lists them.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "git/repo.h"
#include "gitmodel/status.h"

namespace gitmodel {

struct CommitLine {
  std::string id;       // full hex id
  std::string subject;  // as `git log --format=%s`: the message's first paragraph, lines joined by spaces
};

struct CommitRange {
  std::string from, to;              // full ids of the two revisions
  std::vector<CommitLine> commits;    // reachable from `to` and not from `from`, newest first, at most `limit`
  size_t total = 0;                   // all commits reachable from `to` and not from `from`
  size_t behind = 0;                  // commits reachable from `from` and not from `to`
};

// `git log from..to`: children before their parents, newer commit dates first among unrelated
// commits (libgit2's topological + time order). `from` and `to` are any revisions (full or
// abbreviated ids, branches, tags); callers holding untrusted text should check it is a hex id
// first. kNotFound naming the revision when either names no commit of the repository; an error
// for an ambiguous abbreviation or an unreadable repository. The subjects are the repository's
// bytes: not necessarily valid UTF-8 (a commit with an `encoding` header).
Result<CommitRange> CommitsBetween(const GitRepo& repo, std::string_view from, std::string_view to,
                                            size_t limit);

}  // namespace gitmodel
