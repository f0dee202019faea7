#include "git/external_diff.h"

#include <algorithm>

#include <fmt/core.h>

#include "git/path_quote.h"

namespace gitmodel {
namespace {

constexpr size_t kBinaryProbeBytes = 8000;  // git's FIRST_FEW_BYTES
constexpr std::string_view kGitFunctionLine = "^[[:alpha:]$_]";  // xdiff's def_ff()

std::string OldLabel(const ExternalDiffCall& c) {
  return c.added() ? std::string(kGitNoFile) : QuoteGitPath("a/" + c.path);
}

std::string NewLabel(const ExternalDiffCall& c) {
  return c.deleted() ? std::string(kGitNoFile) : QuoteGitPath("b/" + c.new_path);
}

}  // namespace

Result<ExternalDiffCall> ParseExternalDiffCall(const std::vector<std::string>& a) {
  if (a.size() != 7 && a.size() != 9)
    return InvalidArgument("git-diff takes the 7 or 9 arguments git passes to an external diff, not {}", a.size());
  ExternalDiffCall c{.path = a[0], .old_file = a[1], .old_hex = a[2], .old_mode = a[3],
                     .new_file = a[4], .new_hex = a[5], .new_mode = a[6], .new_path = a.size() == 9 ? a[7] : a[0],
                     .xfrm = a.size() == 9 ? a[8] : ""};
  if (!c.xfrm.empty() && c.xfrm.back() != '\n') c.xfrm += '\n';
  return c;
}

std::string GitDiffHeader(const ExternalDiffCall& c) {
  std::string out = fmt::format("diff --git {} {}\n", QuoteGitPath("a/" + c.path), QuoteGitPath("b/" + c.new_path));
  out += c.xfrm;
  if (c.added()) out += fmt::format("new file mode {}\n", c.new_mode);
  else if (c.deleted()) out += fmt::format("deleted file mode {}\n", c.old_mode);
  else if (c.old_mode != c.new_mode) out += fmt::format("old mode {}\nnew mode {}\n", c.old_mode, c.new_mode);
  return out;
}

bool LooksBinary(std::span<const std::byte> bytes) {
  auto probe = bytes.first(std::min(bytes.size(), kBinaryProbeBytes));
  return std::find(probe.begin(), probe.end(), std::byte{0}) != probe.end();
}

Result<TextDiff> TextDiffBody(const ProcessRunner& runner, const ExternalDiffCall& call,
                              std::span<const std::byte> old_bytes, std::span<const std::byte> new_bytes) {
  if (std::ranges::equal(old_bytes, new_bytes)) return TextDiff{};  // a mode change or a pure rename
  const std::string a = OldLabel(call), b = NewLabel(call);
  if (LooksBinary(old_bytes) || LooksBinary(new_bytes))
    return TextDiff{.text = fmt::format("Binary files {} and {} differ\n", a, b)};
  // `-F`: hunk headers name the last line before the hunk that starts with a letter, '_' or '$',
  // git's default function context (GNU diff cuts it at 40 characters, git at 80). `--` because
  // git hands over work-tree files by their path, which may start with '-'.
  std::vector<std::string> argv = {"diff", "-u", "-F", std::string(kGitFunctionLine), "--label", a, "--label", b,
                                   "--", call.old_file, call.new_file};
  ProcessResult r = runner.Run(argv, {.timeout_ms = kTextDiffTimeoutMs, .max_output = kTextDiffMaxOutput});
  if (!r.started)
    return NotFound("cannot run diff (GNU diffutils) for the text diff of {}: not found on PATH", call.path);
  if (r.timed_out) return IOError("diff of {} did not finish in {} s", call.path, kTextDiffTimeoutMs / 1000);
  // 0: same, 1: different. With `--label` and `--`, 2 means diff could not read a file.
  if (r.exit_code != 0 && r.exit_code != 1)
    return IOError("diff of {} failed (exit status {})", call.path, r.exit_code);
  if (!r.out.empty() && r.out.back() != '\n') r.out += '\n';
  return TextDiff{.text = std::move(r.out), .truncated = r.truncated};
}

}  // namespace gitmodel
