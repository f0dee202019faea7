#include "git/git_date.h"

#include <charconv>
#include <string>

#include "base/subprocess.h"

namespace gitmodel {

Result<int64_t> ParseGitDate(std::string_view text) {
  if (text.empty()) return InvalidArgument("an empty date");
  // `git rev-parse --since=X` prints "--max-age=<seconds>" (run in the current repository).
  ProcessResult r = RunProcess({"git", "rev-parse", "--since=" + std::string(text)}, {.timeout_ms = 10'000});
  if (!r.started) return IOError("cannot run git to read the date '{}': is git installed?", text);
  constexpr std::string_view kPrefix = "--max-age=";
  std::string_view out = r.out;
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.remove_suffix(1);
  int64_t seconds = 0;
  if (r.exit_code != 0 || !out.starts_with(kPrefix) ||
      std::from_chars(out.data() + kPrefix.size(), out.data() + out.size(), seconds).ec != std::errc()) {
    return InvalidArgument("'{}' is not a date git understands (e.g. \"1 week ago\", \"2026-11-20\")", text);
  }
  return seconds;
}

}  // namespace gitmodel
