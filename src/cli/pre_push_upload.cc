#include "cli/pre_push_upload.h"

#include <fmt/core.h>

#include "cli/command.h"
#include "cli/render.h"
#include "cli/store_context.h"
#include "cli/transfer_runner.h"
#include "store/model_remotes.h"
#include "store/sync_plan.h"

namespace gitmodel::cli {
namespace {

bool IsZeroId(const std::string& id) { return id.find_first_not_of('0') == std::string::npos; }

Result<std::optional<ModelRemote>> RemoteFor(const GitRepo& repo, const std::string& git_remote) {
  if (!git_remote.empty()) {
    auto named = FindModelRemote(repo, git_remote);
    if (named.ok()) return std::optional(std::move(*named));
  }
  return DefaultModelRemote(repo);
}

}  // namespace

int UploadForPush(const std::vector<PushedRef>& refs, const std::string& git_remote) {
  std::vector<std::string> tips, hidden;
  for (const PushedRef& ref : refs) {
    if (!IsZeroId(ref.local_id)) tips.push_back(ref.local_id);  // zero: a deleted ref
    if (!IsZeroId(ref.remote_id)) hidden.push_back(ref.remote_id);
  }
  if (tips.empty()) return kExitOk;
  auto context = OpenStoreContext();
  if (!context.ok()) return PrintError(context.status().message()), kExitError;
  StoreContext& c = **context;
  auto plan = PlanPush(c.repo, c.store, tips, hidden);
  if (!plan.ok()) return PrintError(plan.status().message()), kExitError;
  if (plan->pointers == 0) return kExitOk;
  auto remote = RemoteFor(c.repo, git_remote);
  if (!remote.ok()) return PrintError(remote.status().message()), kExitError;
  if (!*remote) {
    fmt::print(stderr, "git-model: warning: pushing {} model file pointer(s) but no git-model remote is configured; "
                       "others cannot get the files until you `git model remote add` and `git model push`\n",
               plan->pointers);
    return kExitOk;
  }
  for (const std::string& missing : plan->missing)
    PrintError(fmt::format("cannot push: not in the local store: {}", missing));
  if (!plan->missing.empty()) return kExitNegative;
  auto connected = ConnectModelRemote(**remote);
  if (!connected.ok()) return PrintError(connected.status().message()), kExitError;
  auto report = RunTransfer(Direction::kUpload, c.store, **connected, plan->objects, "git-model push");
  if (!report.ok()) return PrintError(report.status().message()), kExitError;
  if (Status failed = TransferFailures(*report); !failed.ok()) {
    PrintError(fmt::format("push refused: {}", failed.message()));
    return kExitNegative;
  }
  fmt::print(stderr, "git-model: uploaded {} object(s), {}, to {} ({} already there)\n", report->transferred,
             HumanBytes(report->bytes), (*remote)->name, report->already_there);
  return kExitOk;
}

}  // namespace gitmodel::cli
