// Internal to src/git: the patch of one large file, written without libgit2's patch printer.
//
// libgit2 (like git) deflates binary content at zlib's default level on one core and also tries a
// delta, about 10 s for 200 MB on a slow core; a text diff of a 200 MB file takes several seconds
// as well. Files above these sizes are written here as "GIT binary patch" literals (forward and
// reverse, so both `git apply` and libgit2's patch parser accept them; deltas when the versions
// differ in place, see binary_delta.h), compressed in parallel (binary_hunk.h). Smaller files keep
// libgit2's text and delta output.
#pragma once

#include <cstdint>
#include <string>

#include "git/git_handles.h"

namespace gitmodel {

struct LargeFileLimits {
  uint64_t any_file = uint64_t{16} << 20;    // every regular file above this size
  uint64_t binary_file = uint64_t{1} << 20;  // a file above this with a NUL in its first 8000 bytes
};

// Whether `delta` (an added, deleted or modified regular file of a tree/index -> working tree
// diff) should be written by AppendLargeFilePatch.
Result<bool> IsLargeFileDelta(git_repository* repo, const git_diff_delta& delta, const LargeFileLimits& limits);

// Appends the git patch of `delta`: header (paths quoted as git does, full index line) and a
// binary patch of the working-tree content after the repository's clean filters. The new blob id
// is computed from exactly the bytes written, so `git apply` verifies what it reproduces.
Status AppendLargeFilePatch(git_repository* repo, const git_diff_delta& delta, std::string& out);

}  // namespace gitmodel
