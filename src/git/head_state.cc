#include "git/head_state.h"

#include <string_view>

namespace gitmodel {
namespace {

constexpr std::string_view kHeadsPrefix = "refs/heads/";

std::string AbbreviatedId(const git_commit* commit) {
  return OidHex(*git_commit_id(commit)).substr(0, 7);
}

}  // namespace

Result<HeadState> ReadHead(git_repository* repo) {
  git_reference* raw = nullptr;
  int error = git_reference_lookup(&raw, repo, "HEAD");
  if (error < 0) return GitError(error, "reading HEAD");
  GitReferencePtr head(raw);
  HeadState state;
  if (git_reference_type(head.get()) == GIT_REFERENCE_SYMBOLIC) {
    std::string_view target = git_reference_symbolic_target(head.get());
    if (target.starts_with(kHeadsPrefix)) state.branch = target.substr(kHeadsPrefix.size());
  } else {
    state.detached = true;
  }
  git_oid oid;
  error = git_reference_name_to_id(&oid, repo, "HEAD");
  if (error == GIT_ENOTFOUND || error == GIT_EUNBORNBRANCH) return state;
  if (error < 0) return GitError(error, "resolving HEAD");
  state.commit = OidHex(oid);
  return state;
}

Result<std::string> DescribeCommit(git_repository* repo, const git_commit* commit) {
  git_describe_options options;
  git_describe_options_init(&options, GIT_DESCRIBE_OPTIONS_VERSION);
  options.describe_strategy = GIT_DESCRIBE_TAGS;
  options.show_commit_oid_as_fallback = 1;
  git_describe_result* raw = nullptr;
  int error = git_describe_commit(&raw, reinterpret_cast<git_object*>(const_cast<git_commit*>(commit)), &options);
  if (error < 0 && git_repository_is_shallow(repo) == 1) return AbbreviatedId(commit);
  if (error < 0) return GitError(error, fmt::format("describing commit {}", OidHex(*git_commit_id(commit))));
  GitDescribePtr result(raw);
  git_describe_format_options format;
  git_describe_format_options_init(&format, GIT_DESCRIBE_FORMAT_OPTIONS_VERSION);
  GitBuf text;
  error = git_describe_format(text.get(), result.get(), &format);
  if (error < 0) return GitError(error, "formatting the description of HEAD");
  return std::string(text.view());
}

}  // namespace gitmodel
