// The external-diff protocol (GIT_EXTERNAL_DIFF, diff.<driver>.command), and the plain text diff
// `git-model git-diff` prints for the files that are not checkpoints: with GIT_EXTERNAL_DIFF git
// runs it for every changed file, source code included.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/subprocess.h"
#include "gitmodel/status.h"

namespace gitmodel {

inline constexpr std::string_view kGitNoFile = "/dev/null";  // git's name for a missing side

// What git passes: `path old-file old-hex old-mode new-file new-hex new-mode`, plus
// `new-path xfrm-info` for renames and copies. A missing side (added or deleted file) is
// `/dev/null . .`.
struct ExternalDiffCall {
  std::string path, old_file, old_hex, old_mode, new_file, new_hex, new_mode;
  std::string new_path;  // `path` unless renamed or copied
  std::string xfrm;      // "similarity index 90%\nrename from a\nrename to b\n", or ""

  bool added() const { return old_file == kGitNoFile; }
  bool deleted() const { return new_file == kGitNoFile; }
};

// InvalidArgument unless there are 7 or 9 arguments. Takes them verbatim: a path may start with '-'.
Result<ExternalDiffCall> ParseExternalDiffCall(const std::vector<std::string>& args);

// The lines `git diff` starts a file with: `diff --git a/P b/Q`, the rename/copy lines, and
// `new file mode`, `deleted file mode` or `old mode`/`new mode`. Paths quoted as git quotes them.
std::string GitDiffHeader(const ExternalDiffCall& call);

// git's test for binary content (buffer_is_binary): a NUL byte in the first 8000 bytes.
bool LooksBinary(std::span<const std::byte> bytes);

inline constexpr size_t kTextDiffMaxOutput = size_t{256} << 20;
inline constexpr int kTextDiffTimeoutMs = 5 * 60 * 1000;

struct TextDiff {
  std::string text;        // ends with a newline unless empty
  bool truncated = false;  // diff printed more than kTextDiffMaxOutput bytes; the rest is dropped
};

// The body `git diff` would print under the header, for the two sides' bytes (empty for
// /dev/null; borrowed for the call): nothing when they are equal, `Binary files A and B differ`
// when either is binary, else the output of
//   diff -u -F '^[[:alpha:]$_]' --label A --label B -- OLD-FILE NEW-FILE
// (GNU diff through `runner`), with A = a/<path> and B = b/<new-path>, or /dev/null; `-F` gives
// hunk headers git's default function context. Errors:
// NotFound when diff cannot be started, IO when it times out or fails (exit status over 1).
Result<TextDiff> TextDiffBody(const ProcessRunner& runner, const ExternalDiffCall& call,
                              std::span<const std::byte> old_bytes, std::span<const std::byte> new_bytes);

}  // namespace gitmodel
