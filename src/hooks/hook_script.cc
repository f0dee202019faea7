// The hook scripts: POSIX sh, no bashisms. pre-push's stdin (the refs being pushed) is needed by
// both the original hook and ours, so it is saved to a temporary file when there is an original.
#include <fmt/core.h>

#include "hooks/hook_install.h"

namespace gitmodel {
namespace {

constexpr char kScript[] = R"SH(#!/bin/sh
{marker}
# `git model hooks uninstall` removes this file and puts back {name}{suffix}, if there is one.
orig="$(dirname "$0")/{name}{suffix}"
if ! command -v git-model >/dev/null 2>&1; then
  echo "git-model hook {name}: 'git-model' is not on PATH; install it, or remove $0 (git commit --no-verify skips hooks once)" >&2
  exit 1
fi
{body})SH";

constexpr char kPlainBody[] = R"SH(if [ -x "$orig" ]; then
  "$orig" "$@" || exit $?
fi
exec git-model hook {name} "$@"
)SH";

// The original and ours both read the refs on stdin.
constexpr char kStdinBody[] = R"SH(if [ -x "$orig" ]; then
  input=$(mktemp "${{TMPDIR:-/tmp}}/git-model-{name}.XXXXXX") || exit 1
  trap 'rm -f "$input"' EXIT
  cat >"$input" || exit 1
  "$orig" "$@" <"$input" || exit $?
  git-model hook {name} "$@" <"$input"
  exit $?
fi
exec git-model hook {name} "$@"
)SH";

}  // namespace

const std::vector<std::string>& ManagedHookNames() {
  static const std::vector<std::string> names = {"pre-commit", "commit-msg", "pre-push"};
  return names;
}

std::string HookScript(std::string_view name) {
  std::string body = fmt::format(fmt::runtime(name == "pre-push" ? kStdinBody : kPlainBody), fmt::arg("name", name));
  return fmt::format(fmt::runtime(kScript), fmt::arg("marker", kHookMarker), fmt::arg("name", name),
                     fmt::arg("suffix", kChainedSuffix), fmt::arg("body", body));
}

bool IsGitModelHook(std::string_view text) {
  for (size_t at = text.find(kHookMarker); at != std::string_view::npos; at = text.find(kHookMarker, at + 1)) {
    const bool line_start = at == 0 || text[at - 1] == '\n';
    const size_t end = at + kHookMarker.size();
    if (line_start && (end == text.size() || text[end] == '\n' || text[end] == '\r')) return true;
  }
  return false;
}

}  // namespace gitmodel
