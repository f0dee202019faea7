// git model push [REMOTE] [--git-remote NAME] [--all] [--dry-run] [--json]: pushes the run
// records (refs/git-model/records) to the git remote (docs/runs.md), then uploads the store
// objects that the pointers in HEAD's history (--all: every ref's) need and the git-model remote
// lacks (docs/storage.md). The pre-push hook uploads objects for the commits being pushed.
#include <fmt/core.h>

#include "cli/command.h"
#include "cli/render.h"
#include "cli/records_share.h"
#include "cli/remote_choice.h"
#include "cli/store_context.h"
#include "cli/transfer_runner.h"
#include "git/small_blobs.h"
#include "store/model_remotes.h"
#include "store/sync_plan.h"

namespace gitmodel::cli {
namespace {

struct PushArgs {
  std::string remote;
  std::string git_remote;
  bool all = false, dry_run = false, json = false;
};

int Fail(const Status& status) {
  PrintError(status.message());
  return kExitError;
}

// Runs go to the git remote; then the objects to the git-model remote, when there is one.
int RunPush(const PushArgs& args) {
  if (!args.dry_run) {
    Result<std::string> git_remote = RecordsRemote(args.git_remote);
    Status shared = git_remote.ok() ? PushRunRecords(*git_remote, args.json) : git_remote.status();
    if (!shared.ok()) return Fail(shared);
  }
  auto context = OpenStoreContext();
  if (!context.ok()) return Fail(context.status());
  StoreContext& c = **context;
  std::vector<std::string> tips = {"HEAD"};
  if (args.all) {
    auto all = AllRefTips(c.repo, std::nullopt);
    if (!all.ok()) return Fail(all.status());
    tips = *all;
  }
  auto remote = ChooseRemote(c.repo, args.remote);
  auto plan = remote.ok() || args.remote.empty() ? PlanPush(c.repo, c.store, tips, {})
                                                  : Result<SyncPlan>(remote.status());
  // A repository that shares only runs needs no git-model remote; one with stored models does.
  if (!remote.ok() && plan.ok() && plan->objects.empty() && NoModelRemotes()) {
    if (!args.json) fmt::print("no stored objects to push and no git-model remote\n");
    return kExitOk;
  }
  if (!remote.ok()) return Fail(remote.status());
  if (!plan.ok()) return Fail(plan.status());
  for (const std::string& missing : plan->missing) fmt::print(stderr, "git-model: warning: not in the local store: {}\n", missing);
  TransferReport report;
  if (!args.dry_run) {
    auto connected = ConnectModelRemote(*remote);
    if (!connected.ok()) return Fail(connected.status());
    auto moved = RunTransfer(Direction::kUpload, c.store, **connected, plan->objects, "push");
    if (!moved.ok()) return Fail(moved.status());
    report = std::move(*moved);
  }
  if (args.json) {
    fmt::print("{}\n", JsonLine({{"remote", remote->name}, {"url", remote->url}, {"pointers", plan->pointers},
                                 {"objects", plan->objects.size()}, {"uploaded", report.transferred},
                                 {"already_there", report.already_there}, {"bytes", report.bytes},
                                 {"failed", report.failed.size()}, {"missing_locally", plan->missing.size()},
                                 {"dry_run", args.dry_run}}));
  } else if (args.dry_run) {
    fmt::print("would push up to {} object(s) for {} pointer(s) to {} ({})\n", plan->objects.size(), plan->pointers,
               remote->name, remote->url);
  } else {
    fmt::print("pushed {} object(s), {}, to {} ({}); {} already there\n", report.transferred, HumanBytes(report.bytes),
               remote->name, remote->url, report.already_there);
  }
  if (Status failed = TransferFailures(report); !failed.ok()) return Fail(failed);
  return plan->missing.empty() ? kExitOk : kExitNegative;
}

}  // namespace

void SetupPush(CLI::App& sub, int* exit_code) {
  auto args = std::make_shared<PushArgs>();
  sub.add_option("remote", args->remote, "A git-model remote (default: git-model.defaultRemote, origin, or the only one)");
  sub.add_option("--git-remote", args->git_remote, "The git remote the run records go to (default: the one `git "
                                                   "push` uses)");
  sub.add_flag("--all", args->all, "What every ref's history needs, not only HEAD's");
  sub.add_flag("--dry-run,-n", args->dry_run, "Only count what would be considered");
  sub.add_flag("--json", args->json, "One JSON document with the counts");
  sub.footer("Exit status: 0 pushed, 1 some objects the history needs are not in the local store, 2 an error.");
  sub.callback([args, exit_code] { *exit_code = RunPush(*args); });
}

}  // namespace gitmodel::cli
