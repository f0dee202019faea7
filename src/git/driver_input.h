// A file git hands a diff driver: textconv gets every file that carries the `diff=git-model`
// attribute, the external diff (GIT_EXTERNAL_DIFF) every changed file. Such a file may be
// anything (a `.pt` that is a text file, an empty or truncated file), and git stops the whole
// `git log -p` when a driver fails, so not being a checkpoint is an answer here, not an error.
#pragma once

#include <memory>
#include <string>

#include "base/mapped_file.h"
#include "gitmodel/checkpoint.h"
#include "gitmodel/status.h"

namespace gitmodel {

struct DriverInput {
  std::unique_ptr<MappedFile> file;        // the file's bytes; never null
  std::unique_ptr<Checkpoint> checkpoint;  // null when the file is not a readable checkpoint
  // Then: why, on one line and without the file's name (git's temporary names change from run to
  // run, and git caches textconv text per blob, so the text must depend on the bytes only).
  std::string not_checkpoint_reason;
};

// Opens `path` as a checkpoint if it is one. Errors only when the file itself cannot be read
// (missing, a directory, no permission): those are mistakes in the invocation, not in the file.
// Any failure of Checkpoint::Open after that (including a missing shard of an index) gives a
// DriverInput without checkpoint.
Result<DriverInput> OpenDriverInput(const std::string& path);

// Checkpoint::Open's message made path-free: a leading "<path>: " is dropped, and so is the
// directory of `path` wherever it appears (a shard named next to the file); a leading
// "not a checkpoint: " is dropped as the caller says that itself. Exposed for tests.
std::string NotCheckpointReason(std::string_view message, std::string_view path);

}  // namespace gitmodel
