// git model pull [REMOTE] [--git-remote NAME] [--json]: `git model fetch` for HEAD and the index
// (run records from the git remote, then store objects), then checks out again the working-tree
// files that are still pointers (a clone made without the objects, or a checkout that warned),
// through git so that its index stays right (docs/storage.md, docs/runs.md).
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/core.h>

#include "base/atomic_file.h"
#include "base/subprocess.h"
#include "cli/command.h"
#include "cli/fetch_objects.h"
#include "cli/records_share.h"
#include "cli/render.h"
#include "cli/store_context.h"
#include "git/small_blobs.h"
#include "store/pointer.h"

namespace gitmodel::cli {
namespace {

constexpr size_t kPathsPerCheckout = 200;

// Index paths whose working-tree file is a pointer text.
Result<std::vector<std::string>> PointerFilesInWorkTree(const StoreContext& c) {
  GM_ASSIGN_OR_RETURN(std::vector<std::string> paths, IndexFilePaths(c.repo));
  const std::string root = WorkdirOf(c.repo);
  std::vector<std::string> out;
  for (const std::string& path : paths) {
    auto text = ReadSmallFile(root + "/" + path, kMaxPointerBytes);
    if (text.ok() && ParsePointer(*text).ok()) out.push_back(path);
  }
  return out;
}

// `git checkout -- PATH...` from the working-tree root: git runs the smudge filter on each. The
// pointer files are removed first: git skips a file whose stat data match the index, and these
// do (their clean form is the pointer itself). The index still holds them if git fails.
Status CheckOut(const StoreContext& c, const std::vector<std::string>& paths) {
  const std::string root = WorkdirOf(c.repo);
  for (const std::string& path : paths)
    if (::unlink((root + "/" + path).c_str()) != 0 && errno != ENOENT)
      return IOError("{}: cannot replace: {}", path, std::strerror(errno));
  for (size_t first = 0; first < paths.size(); first += kPathsPerCheckout) {
    std::vector<std::string> argv = {"git", "-C", WorkdirOf(c.repo), "checkout", "--"};
    const size_t last = std::min(paths.size(), first + kPathsPerCheckout);
    argv.insert(argv.end(), paths.begin() + first, paths.begin() + last);
    const ProcessResult r = RunProcess(argv, {.timeout_ms = 3600 * 1000, .max_output = 1 << 16});
    if (!r.started) return NotFound("cannot run git (is it on PATH?)");
    if (r.exit_code != 0) return IOError("`git checkout` of the fetched files failed (exit {})", r.exit_code);
  }
  return OkStatus();
}

int RunPull(const std::string& remote, const std::string& git_remote_name, bool json) {
  Result<std::string> git_remote = RecordsRemote(git_remote_name);
  Status shared = git_remote.ok() ? FetchRunRecords(*git_remote, json) : git_remote.status();
  if (!shared.ok()) {
    PrintError(shared.message());
    return kExitError;
  }
  if (remote.empty() && NoModelRemotes()) {
    if (!json) fmt::print("no git-model remote: stored objects not fetched (git model remote add NAME URL)\n");
    return kExitOk;
  }
  auto fetched = FetchObjectsFor(remote, {});
  if (!fetched.ok()) {
    PrintError(fetched.status().message());
    return kExitError;
  }
  auto context = OpenStoreContext();
  auto pointers = context.ok() ? PointerFilesInWorkTree(**context) : Result<std::vector<std::string>>(context.status());
  Status checked_out = pointers.ok() ? CheckOut(**context, *pointers) : pointers.status();
  if (!json) PrintFetchSummary(*fetched, false);
  if (json) {
    PrintFetchSummary(*fetched, true);
  } else if (checked_out.ok() && pointers.ok()) {
    fmt::print("checked out {} file(s)\n", pointers->size());
  }
  if (!checked_out.ok()) PrintError(checked_out.message());
  return fetched->ok() && checked_out.ok() ? kExitOk : kExitError;
}

}  // namespace

void SetupPull(CLI::App& sub, int* exit_code) {
  auto remote = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  auto git_remote = std::make_shared<std::string>();
  sub.add_option("remote", *remote, "A git-model remote (default: git-model.defaultRemote, origin, or the only one)");
  sub.add_option("--git-remote", *git_remote, "The git remote to fetch run records from (default: the one `git "
                                               "fetch` uses)");
  sub.add_flag("--json", *json, "The fetch counts as one JSON document");
  sub.callback([remote, git_remote, json, exit_code] { *exit_code = RunPull(*remote, *git_remote, *json); });
}

}  // namespace gitmodel::cli
