#include "cli/driver_file.h"

#include "store/pointer_expand.h"

namespace gitmodel::cli {

Result<DriverInput> OpenDriverFile(const std::string& path) {
  auto expanded = ExpandPointerFile(path);
  if (!expanded.ok()) {
    GM_ASSIGN_OR_RETURN(DriverInput input, OpenDriverInput(path));
    input.checkpoint.reset();
    // Fixed texts: git caches textconv output per blob, so it must not name temporary paths.
    input.not_checkpoint_reason = expanded.status().code() == Code::kNotFound
                                      ? "a git-model pointer whose objects are not in the local store (git model pull)"
                                      : "a git-model pointer that cannot be read (git model fsck)";
    return input;
  }
  // The rebuilt file is removed when `expanded` goes; the mappings made of it stay valid.
  return *expanded ? OpenDriverInput((*expanded)->path()) : OpenDriverInput(path);
}

}  // namespace gitmodel::cli
