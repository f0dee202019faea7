// The records ref: the source of truth for recorded runs and checkpoint records.
//
// `refs/git-model/records` points to a commit whose tree holds the records as plain files (JSON or
// JSON lines, opaque to this layer), by convention `runs/<id>/run.json`, `runs/<id>/metrics.jsonl`
// and `checkpoints/<sha256>.json`. Every write is one commit whose parent is the previous tip, so
// the history is an ordinary commit chain and `git push <remote> refs/git-model/records` (or a
// fetch into `refs/git-model/remotes/<remote>/records`) shares it through any git server;
// runs/records_merge.h unites fetched records with ours.
//
// Records are only added or replaced, never deleted. A records tree holds only files of mode
// 100644 and directories; a path is relative, '/'-separated, at most kMaxRecordPathBytes bytes and
// kMaxRecordPathDepth levels, without empty, "." or ".." components or control bytes, and no file
// is a directory of another. A file holds at most kMaxRecordFileBytes bytes.
//
// Concurrency: writers in several processes (or threads, each with its own GitRepo) may write at
// once. A write reads the tip, builds the new tree and commit from it, and moves the ref with
// compare-and-swap; a writer that lost the race reads the new tip and redoes its commit (see
// runs/records_commit.h), so no write is lost.
//
// Reading treats the tree as untrusted (it may have been fetched): symlinks, submodules,
// executables, bad names and oversized files are one-line errors naming the ref and path.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "git/repo.h"
#include "gitmodel/status.h"

namespace gitmodel {

inline constexpr std::string_view kRecordsRef = "refs/git-model/records";
inline constexpr size_t kMaxRecordPathBytes = 4096;
inline constexpr size_t kMaxRecordPathDepth = 64;
inline constexpr size_t kMaxRecordFileBytes = size_t{64} << 20;
inline constexpr size_t kMaxRecordsReadBytes = size_t{1} << 30;  // all that one ReadRecords returns

struct RecordFile {
  std::string path;     // e.g. "runs/20250101-abc/run.json"
  std::string content;  // the file's bytes

  bool operator==(const RecordFile&) const = default;
};

// Adds or replaces `files` in one new commit on `refs/git-model/records` (created when missing),
// whose message is `message` and whose author and committer are the repository's
// user.name/user.email, or "git-model <git-model@localhost>" when they are not configured.
// Nothing is committed when `files` is empty or changes nothing.
// InvalidArgument for a bad or duplicate path, a path that is a directory (or below a file) in the
// batch or in the records; LimitExceeded for content over kMaxRecordFileBytes; Conflict when other
// writers kept winning the race for the ref.
Status WriteRecords(const GitRepo& repo, const std::vector<RecordFile>& files, std::string_view message);

// Every file under directory `prefix` ("" for all; a trailing '/' is ignored) at the tip of `ref`
// (a full ref name), sorted by path, with full paths. Empty when the ref or the directory does not
// exist, or `prefix` names a file.
Result<std::vector<RecordFile>> ReadRecords(const GitRepo& repo, std::string_view ref, std::string_view prefix);

// The content of the file `path` at the tip of `ref`; nullopt when the ref or the file does not
// exist. InvalidArgument when `path` is a directory of records.
Result<std::optional<std::string>> ReadRecord(const GitRepo& repo, std::string_view ref, std::string_view path);

}  // namespace gitmodel
