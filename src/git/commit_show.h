// Reading recorded commits back: `git show`, existence checks, drift of HEAD since a commit.
#pragma once

#include <string>
#include <string_view>

#include "git/repo.h"
#include "gitmodel/status.h"

namespace gitmodel {

// Text like `git show --no-color <commit>`: "commit <id>", "Merge: ..." for merges, "Author:",
// "Date:" (git's default date format, in the author's time zone), the message indented by four
// spaces, then the patch against the first parent (the empty tree for a root commit) with git's
// default rename detection; binary files as "Binary files ... differ". `commit` is any revision
// (full or abbreviated id, branch, tag, "HEAD~1"). kNotFound when it names no commit.
Result<std::string> ShowCommit(const GitRepo& repo, std::string_view commit);

// Whether `commit` (any revision, as above) names a commit of the repository. false for unknown
// ids, malformed text and objects that are not commits; an error for an ambiguous abbreviation.
Result<bool> CommitExists(const GitRepo& repo, std::string_view commit);

}  // namespace gitmodel
