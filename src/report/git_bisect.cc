#include "report/git_bisect.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <filesystem>
#include <sstream>
#include <system_error>

#include <fmt/core.h>
#include <git2.h>

#include "base/subprocess.h"
#include "runs/child_runner.h"

namespace gitmodel {
namespace {

// git's answer (the candidates' ids, or a commit and its stat) fits well in this.
constexpr uint64_t kAnswerTail = 4 << 20;

bool IsFullId(const std::string& s) {
  return s.size() == 40 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

// The last non-empty line of git's output, for an error message.
std::string LastLine(const std::string& text) {
  std::istringstream in(text);
  std::string line, last;
  while (std::getline(in, line)) if (!line.empty()) last = line;
  return last;
}

Result<std::string> Git(const std::string& workdir, std::vector<std::string> args) {
  args.insert(args.begin(), {"git", "-C", workdir});
  ProcessOptions options;
  options.timeout_ms = 120'000;  // a checkout of large tracked checkpoints runs the smudge filter
  options.merge_stderr = true;
  ProcessResult r = RunProcess(args, options);
  if (!r.started) return IOError("cannot run git: is it installed and on PATH?");
  if (r.exit_code != 0) return IOError("git {}: {}", args[3], LastLine(r.out));
  return r.out;
}

Status CheckCanBisect(const GitRepo& repo, const std::string& workdir) {
  if (workdir.empty()) return InvalidArgument("bisect needs a work tree; this repository is bare");
  std::error_code ec;
  if (std::filesystem::exists(std::string(git_repository_path(repo.get())) + "BISECT_START", ec)) {
    return InvalidArgument("a git bisect is in progress here: finish it with `git bisect reset` first");
  }
  GM_ASSIGN_OR_RETURN(std::string changed, Git(workdir, {"status", "--porcelain", "--untracked-files=no"}));
  if (!changed.empty()) {
    return InvalidArgument("the work tree has uncommitted changes ({}): commit or stash them first, bisect "
                           "checks out other commits", LastLine(changed).substr(3));
  }
  return OkStatus();
}

// `git bisect reset` when destroyed, unless Reset() ran: every way out of RunGitBisect leaves
// the repository as it was.
class ResetOnExit {
 public:
  explicit ResetOnExit(std::string workdir) : workdir_(std::move(workdir)) {}
  ResetOnExit(const ResetOnExit&) = delete;
  ~ResetOnExit() {
    if (!done_) (void)Reset();
  }
  Status Reset() {
    done_ = true;
    return Git(workdir_, {"bisect", "reset"}).status();
  }

 private:
  std::string workdir_;
  bool done_ = false;
};

// The last `max_bytes` of the file at `path`: git prints its answer at the end of a log that also
// holds every step's output.
Result<std::string> ReadTail(const std::string& path, uint64_t max_bytes) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return IOError("{}: cannot read git bisect's output", path);
  const uint64_t size = static_cast<uint64_t>(in.tellg());
  const uint64_t start = size > max_bytes ? size - max_bytes : 0;
  in.seekg(static_cast<std::streamoff>(start));
  std::string tail(size - start, '\0');
  in.read(tail.data(), static_cast<std::streamsize>(tail.size()));
  return tail;
}

std::string TempRoot() {
  const char* tmp = std::getenv("TMPDIR");
  return tmp && *tmp ? tmp : "/tmp";
}

// `git bisect run STEP...`, its output echoed and kept in a temporary log for its answer.
Result<std::string> BisectRun(const std::string& workdir, const GitBisectOptions& options) {
  std::string log = TempRoot() + "/gitmodel-bisect-XXXXXX";
  const int fd = ::mkstemp(log.data());
  if (fd < 0) return IOError("cannot create a temporary file for git bisect's output in {}", TempRoot());
  ::close(fd);
  ChildSpec spec;
  spec.argv = {"git", "-C", workdir, "bisect", "run"};
  spec.argv.insert(spec.argv.end(), options.step.begin(), options.step.end());
  spec.log_path = log;
  spec.out_fd = spec.err_fd = options.out_fd;
  Result<ChildOutcome> outcome = RunChild(spec, {});
  Result<std::string> output = ReadTail(log, kAnswerTail);
  std::remove(log.c_str());
  if (!outcome.ok()) return outcome.status();
  if (!outcome->started) return IOError("cannot run git: {}", outcome->start_error);
  return output;
}

}  // namespace

std::vector<std::string> ParseBisectAnswer(const std::string& output) {
  std::istringstream in(output);
  std::string line;
  std::vector<std::string> any_of;
  bool listing = false;
  while (std::getline(in, line)) {
    const std::string id = line.substr(0, 40);
    if (IsFullId(id) && line.substr(40) == " is the first bad commit") return {id};
    if (line.find("The first bad commit could be any of:") != std::string::npos) listing = true;
    else if (listing && IsFullId(line)) any_of.push_back(line);
    else listing = false;
  }
  return any_of;
}

Result<GitBisectAnswer> RunGitBisect(const GitRepo& repo, const GitBisectOptions& options) {
  const std::string workdir = WorkdirOf(repo);
  GM_RETURN_IF_ERROR(CheckCanBisect(repo, workdir));
  std::vector<std::string> start = {"bisect", "start"};
  if (options.first_parent) start.push_back("--first-parent");
  start.insert(start.end(), {options.bad, options.good});
  ResetOnExit reset(workdir);
  GM_RETURN_IF_ERROR(Git(workdir, start).status());
  if (!options.skip.empty()) {
    std::vector<std::string> skip = {"bisect", "skip"};
    skip.insert(skip.end(), options.skip.begin(), options.skip.end());
    GM_RETURN_IF_ERROR(Git(workdir, skip).status());
  }
  GM_ASSIGN_OR_RETURN(std::string output, BisectRun(workdir, options));
  GM_RETURN_IF_ERROR(reset.Reset());
  GitBisectAnswer answer{ParseBisectAnswer(output)};
  if (answer.candidates.empty()) return IOError("git bisect run stopped without an answer: {}", LastLine(output));
  return answer;
}

}  // namespace gitmodel
