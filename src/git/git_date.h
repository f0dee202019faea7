// Dates as `git log --since` reads them ("1 week ago", "yesterday", "2026-11-20 10:00",
// "last monday"): parsed by git itself, so a report's period means what the same words mean to git.
#pragma once

#include <cstdint>
#include <string_view>

#include "gitmodel/status.h"

namespace gitmodel {

// Seconds since the epoch, as git (run in the current directory, which must be in a repository)
// reads `text`. git's date parser (approxidate) reads almost anything, as `git log` does; what it
// cannot read at all gives kInvalidArgument naming `text`; git missing gives kIO.
Result<int64_t> ParseGitDate(std::string_view text);

}  // namespace gitmodel
