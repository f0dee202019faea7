// The code a record names: its commit as `git show` prints it, and the uncommitted patch.
#pragma once

#include <string>

#include "gitmodel/status.h"
#include "provenance/record.h"

namespace gitmodel {

// The recorded uncommitted patch: inline in the record, or from the object store of the
// repository holding the current directory (kNotFound outside one). "" when the record has none.
Result<std::string> RecordedPatch(const GitSection& git);

// `git show <commit>` of the recorded commit, in the repository of the current directory, then
// the recorded patch under a comment line. Errors: no commit recorded (kInvalidArgument), not in
// a repository or the commit is not in it (kNotFound).
Result<std::string> RecordedCommitAndPatch(const GitSection& git);

}  // namespace gitmodel
