#include "cli/fetch_objects.h"

#include <fmt/core.h>

#include "cli/remote_choice.h"
#include "cli/render.h"
#include "cli/store_context.h"
#include "cli/transfer_runner.h"
#include "store/sync_plan.h"

namespace gitmodel::cli {
namespace {

// Manifests, then the chunks they name, then (rarely) bases: a few rounds at most.
constexpr int kMaxRounds = 4;

std::vector<std::string> DefaultRevisions(const GitRepo& repo) {
  auto head = PointersAt(repo, {"HEAD"});  // an unborn HEAD has no files to fetch
  return head.ok() ? std::vector<std::string>{"HEAD"} : std::vector<std::string>{};
}

}  // namespace

Result<FetchSummary> FetchObjectsFor(const std::string& remote_name, const std::vector<std::string>& revisions) {
  GM_ASSIGN_OR_RETURN(std::unique_ptr<StoreContext> context, OpenStoreContext());
  StoreContext& c = *context;
  GM_ASSIGN_OR_RETURN(ModelRemote remote, ChooseRemote(c.repo, remote_name));
  GM_ASSIGN_OR_RETURN(std::unique_ptr<Remote> connected, ConnectModelRemote(remote));
  const bool defaults = revisions.empty();
  const std::vector<std::string> revs = defaults ? DefaultRevisions(c.repo) : revisions;
  FetchSummary summary;
  summary.remote = remote.name;
  summary.url = remote.url;
  for (int round = 0; round < kMaxRounds; ++round) {
    GM_ASSIGN_OR_RETURN(SyncPlan plan, PlanFetch(c.repo, c.store, revs, defaults));
    summary.pointers = plan.pointers;
    summary.still_missing = plan.objects.size();
    if (plan.objects.empty() || !summary.failure.ok()) break;
    GM_ASSIGN_OR_RETURN(TransferReport report, RunTransfer(Direction::kDownload, c.store, *connected, plan.objects, "fetch"));
    summary.downloaded += report.transferred;
    summary.bytes += report.bytes;
    summary.failure = TransferFailures(report);
    if (report.transferred == 0 && summary.failure.ok()) break;  // the remote has none of them
  }
  return summary;
}

void PrintFetchSummary(const FetchSummary& s, bool json) {
  if (json) {
    fmt::print("{}\n", JsonLine({{"remote", s.remote}, {"url", s.url}, {"pointers", s.pointers},
                                 {"downloaded", s.downloaded}, {"bytes", s.bytes}, {"still_missing", s.still_missing},
                                 {"error", s.failure.ok() ? nlohmann::json(nullptr) : nlohmann::json(s.failure.message())}}));
  } else {
    fmt::print("fetched {} object(s), {}, from {} ({}) for {} pointer(s)\n", s.downloaded, HumanBytes(s.bytes), s.remote,
               s.url, s.pointers);
  }
  if (!s.failure.ok()) PrintError(s.failure.message());
  else if (s.still_missing) PrintError(fmt::format("{} object(s) are not on {} either", s.still_missing, s.remote));
}

}  // namespace gitmodel::cli
