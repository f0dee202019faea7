#include "runs/records_sync.h"

#include "base/subprocess.h"
#include "git/repo.h"
#include "runs/records_ref.h"

namespace gitmodel {
namespace {

constexpr int kPushAttempts = 4;
constexpr int kGitTimeoutMs = 30 * 60 * 1000;

std::string RemoteTrackingRef(const std::string& remote) { return "refs/git-model/remotes/" + remote + "/records"; }

// Runs git in the repository; its output (stdout and stderr) comes back for messages.
ProcessResult Git(const GitRepo& repo, std::vector<std::string> args) {
  std::vector<std::string> argv = {"git", "-C", WorkdirOf(repo)};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunProcess(argv, {.timeout_ms = kGitTimeoutMs, .max_output = 1 << 16, .merge_stderr = true});
}

std::string LastLine(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  const size_t newline = text.find_last_of('\n');
  return newline == std::string::npos ? text : text.substr(newline + 1);
}

Status GitFailed(const ProcessResult& r, std::string_view what) {
  if (!r.started) return NotFound("cannot run git (is it on PATH?)");
  if (r.timed_out) return IOError("{}: git did not finish in {} minutes", what, kGitTimeoutMs / 60000);
  return IOError("{}: {}", what, LastLine(r.out));
}

bool RecordsRefExists(const GitRepo& repo, const std::string& ref) {
  return Git(repo, {"rev-parse", "--verify", "--quiet", ref}).exit_code == 0;
}

}  // namespace

Result<RecordsFetch> FetchRecords(const GitRepo& repo, const std::string& git_remote) {
  RecordsFetch out;
  const ProcessResult listed = Git(repo, {"ls-remote", "--exit-code", git_remote, std::string(kRecordsRef)});
  if (listed.exit_code == 2) return out;  // the remote has no records yet
  if (listed.exit_code != 0) return GitFailed(listed, fmt::format("listing the records of {}", git_remote));
  out.remote_has_records = true;
  const std::string tracking = RemoteTrackingRef(git_remote);
  const ProcessResult fetched =
      Git(repo, {"fetch", "--quiet", git_remote, fmt::format("+{}:{}", kRecordsRef, tracking)});
  if (fetched.exit_code != 0) return GitFailed(fetched, fmt::format("fetching the records of {}", git_remote));
  GM_ASSIGN_OR_RETURN(out.merge, MergeRecords(repo, tracking));
  return out;
}

Result<RecordsPush> PushRecords(const GitRepo& repo, const std::string& git_remote) {
  RecordsPush out;
  if (!RecordsRefExists(repo, std::string(kRecordsRef))) return out;
  const std::string refspec = fmt::format("{0}:{0}", kRecordsRef);
  for (int attempt = 1;; ++attempt) {
    const ProcessResult pushed = Git(repo, {"push", "--quiet", "--porcelain", git_remote, refspec});
    if (pushed.exit_code == 0) {
      out.pushed = true;
      return out;
    }
    const bool rejected = pushed.out.find("[rejected]") != std::string::npos ||
                          pushed.out.find("non-fast-forward") != std::string::npos ||
                          pushed.out.find("fetch first") != std::string::npos;
    if (!rejected || attempt == kPushAttempts) {
      return GitFailed(pushed, fmt::format("pushing the records to {}", git_remote));
    }
    GM_RETURN_IF_ERROR(FetchRecords(repo, git_remote).status());  // theirs merged into ours: a fast-forward now
    out.merged = true;
  }
}

}  // namespace gitmodel
