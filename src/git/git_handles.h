// Internal to src/git: RAII handles for libgit2 objects, one-time library initialisation, and the
// conversion of libgit2 errors into Status. Include only from .cc files of src/git and of
// src/runs/records_* (the records ref builds trees and commits) and their tests; public headers
// forward-declare what they need and never include <git2.h>.
#pragma once

#include <git2.h>

#include <memory>
#include <string>
#include <string_view>

#include "gitmodel/status.h"

namespace gitmodel {

// Calls git_libgit2_init() exactly once per process (std::call_once). libgit2 is never shut down:
// handles may outlive any one caller, and the library's global state is small.
void EnsureLibgit2();

template <typename T, void (*Free)(T*)>
struct GitFree {
  void operator()(T* p) const { Free(p); }
};

using GitCommitPtr = std::unique_ptr<git_commit, GitFree<git_commit, git_commit_free>>;
using GitTreePtr = std::unique_ptr<git_tree, GitFree<git_tree, git_tree_free>>;
using GitObjectPtr = std::unique_ptr<git_object, GitFree<git_object, git_object_free>>;
using GitReferencePtr = std::unique_ptr<git_reference, GitFree<git_reference, git_reference_free>>;
using GitIndexPtr = std::unique_ptr<git_index, GitFree<git_index, git_index_free>>;
using GitDiffPtr = std::unique_ptr<git_diff, GitFree<git_diff, git_diff_free>>;
using GitPatchPtr = std::unique_ptr<git_patch, GitFree<git_patch, git_patch_free>>;
using GitRemotePtr = std::unique_ptr<git_remote, GitFree<git_remote, git_remote_free>>;
using GitStatusListPtr = std::unique_ptr<git_status_list, GitFree<git_status_list, git_status_list_free>>;
using GitBlobPtr = std::unique_ptr<git_blob, GitFree<git_blob, git_blob_free>>;
using GitOdbPtr = std::unique_ptr<git_odb, GitFree<git_odb, git_odb_free>>;
using GitFilterListPtr = std::unique_ptr<git_filter_list, GitFree<git_filter_list, git_filter_list_free>>;
using GitConfigPtr = std::unique_ptr<git_config, GitFree<git_config, git_config_free>>;
using GitConfigIteratorPtr =
    std::unique_ptr<git_config_iterator, GitFree<git_config_iterator, git_config_iterator_free>>;
using GitDescribePtr =
    std::unique_ptr<git_describe_result, GitFree<git_describe_result, git_describe_result_free>>;

// A git_buf that is disposed of when it goes out of scope.
class GitBuf {
 public:
  GitBuf() = default;
  ~GitBuf() { git_buf_dispose(&buf_); }
  GitBuf(const GitBuf&) = delete;
  GitBuf& operator=(const GitBuf&) = delete;

  git_buf* get() { return &buf_; }
  std::string_view view() const { return buf_.ptr ? std::string_view(buf_.ptr, buf_.size) : std::string_view(); }

 private:
  git_buf buf_ = GIT_BUF_INIT;
};

// A non-ok Status for the libgit2 return code `error` (< 0): "<doing>: <git_error_last message>".
// GIT_ENOTFOUND maps to kNotFound, GIT_EAMBIGUOUS / GIT_EINVALIDSPEC to kInvalidArgument,
// GIT_ELOCKED / GIT_ECONFLICT to kConflict, everything else to kIO.
Status GitError(int error, std::string_view doing);

// The 40-digit lower-case hex form of `oid`.
std::string OidHex(const git_oid& oid);

}  // namespace gitmodel
