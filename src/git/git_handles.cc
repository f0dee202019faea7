#include "git/git_handles.h"

#include <mutex>

namespace gitmodel {

void EnsureLibgit2() {
  static std::once_flag once;
  std::call_once(once, [] {
    git_libgit2_init();
    // As git itself: objects are not re-hashed on every read (git fsck does that). zlib's checksum
    // still catches damaged bytes; hashing cost 10% of a walk over 10,000 commits (bisect --offline).
    git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
  });
}

Status GitError(int error, std::string_view doing) {
  const git_error* last = git_error_last();
  std::string detail = last && last->message ? last->message : fmt::format("libgit2 error {}", error);
  while (!detail.empty() && (detail.back() == '\n' || detail.back() == '.')) detail.pop_back();
  for (char& c : detail) {
    if (c == '\n' || c == '\r') c = ' ';  // messages are one line
  }
  Code code = Code::kIO;
  if (error == GIT_ENOTFOUND) code = Code::kNotFound;
  if (error == GIT_EAMBIGUOUS || error == GIT_EINVALIDSPEC) code = Code::kInvalidArgument;
  if (error == GIT_ELOCKED || error == GIT_ECONFLICT) code = Code::kConflict;
  return Status(code, fmt::format("{}: {}", doing, detail));
}

std::string OidHex(const git_oid& oid) {
  char hex[GIT_OID_HEXSZ + 1];
  git_oid_tostr(hex, sizeof(hex), &oid);
  return hex;
}

}  // namespace gitmodel
