#include "cli/store_context.h"

namespace gitmodel::cli {

Result<std::unique_ptr<StoreContext>> OpenStoreContext() {
  GM_ASSIGN_OR_RETURN(std::optional<GitRepo> repo, DiscoverRepo("."));
  if (!repo) return InvalidArgument("not in a git repository");
  std::string dir = GitModelDir(*repo);
  ObjectStore store(dir);
  return std::make_unique<StoreContext>(StoreContext{std::move(*repo), std::move(dir), std::move(store)});
}

}  // namespace gitmodel::cli
