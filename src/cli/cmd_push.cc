// git model push [REMOTE] [--all] [--dry-run] [--json]: uploads the store objects that the
// pointers in HEAD's history (--all: every ref's) need and the remote lacks (docs/storage.md).
// The pre-push hook does the same for the commits being pushed.
#include <fmt/core.h>

#include "cli/command.h"
#include "cli/render.h"
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
  bool all = false, dry_run = false, json = false;
};

int Fail(const Status& status) {
  PrintError(status.message());
  return kExitError;
}

int RunPush(const PushArgs& args) {
  auto context = OpenStoreContext();
  if (!context.ok()) return Fail(context.status());
  StoreContext& c = **context;
  auto remote = ChooseRemote(c.repo, args.remote);
  if (!remote.ok()) return Fail(remote.status());
  std::vector<std::string> tips = {"HEAD"};
  if (args.all) {
    auto all = AllRefTips(c.repo, std::nullopt);
    if (!all.ok()) return Fail(all.status());
    tips = *all;
  }
  auto plan = PlanPush(c.repo, c.store, tips, {});
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
  sub.add_flag("--all", args->all, "What every ref's history needs, not only HEAD's");
  sub.add_flag("--dry-run,-n", args->dry_run, "Only count what would be considered");
  sub.add_flag("--json", args->json, "One JSON document with the counts");
  sub.footer("Exit status: 0 pushed, 1 some objects the history needs are not in the local store, 2 an error.");
  sub.callback([args, exit_code] { *exit_code = RunPush(*args); });
}

}  // namespace gitmodel::cli
