// Internal to the records ref: reading a records ref's tip, committing a records tree, and moving
// the ref with compare-and-swap so that concurrent writers (threads with their own GitRepo, or
// processes) never lose each other's commits.
#pragma once

#include <git2.h>

#include <functional>
#include <optional>
#include <span>
#include <string_view>

#include "git/git_handles.h"
#include "git/repo.h"
#include "gitmodel/status.h"

namespace gitmodel {

inline constexpr int kMaxRecordsRefAttempts = 50;

// The commit `ref` (a full name, "refs/...") points to; nullopt when the ref does not exist.
// InvalidArgument for a malformed name; Corrupt when the ref is symbolic or points to anything but
// a commit.
Result<std::optional<git_oid>> ReadRecordsTip(const GitRepo& repo, std::string_view ref);

// The root tree of `commit` (read from `ref`, named in errors).
Result<GitTreePtr> RecordsTreeOf(const GitRepo& repo, const git_oid& commit, std::string_view ref);

// The empty tree, written to the object database.
Result<GitTreePtr> EmptyRecordsTree(const GitRepo& repo);

// Creates (without moving any ref) a commit of `tree` with `parents` and `message` (a '\n' is added
// when missing). Author and committer: user.name/user.email when both are configured, else
// "git-model <git-model@localhost>".
Result<git_oid> CommitRecordsTree(const GitRepo& repo, const git_oid& tree, std::span<const git_oid> parents,
                                  std::string_view message);

// One attempt at an update: given the tip read (nullopt: no ref yet), the commit the ref should
// point to, or nullopt to leave the ref as it is.
using RecordsRefStep = std::function<Result<std::optional<git_oid>>(const std::optional<git_oid>& tip)>;

// Reads the tip of `ref`, calls `step`, and moves the ref from that tip to the commit it returns
// with compare-and-swap. When another writer moved (or locked) the ref in between, waits a few
// random milliseconds and starts over with the new tip, up to kMaxRecordsRefAttempts times; then a
// Conflict error naming the ref. `step` may thus run several times: it must not have effects
// beyond writing objects.
Status AdvanceRecordsRef(const GitRepo& repo, std::string_view ref, const RecordsRefStep& step);

}  // namespace gitmodel
