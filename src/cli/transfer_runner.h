// Shared by push, fetch, pull, the pre-push hook and the filter: a transfer between the local
// store and a remote with a progress bar on a terminal.
#pragma once

#include <span>
#include <string>

#include "gitmodel/status.h"
#include "store/object_store.h"
#include "store/remote.h"
#include "store/transfer.h"

namespace gitmodel::cli {

enum class Direction { kUpload, kDownload };

Result<TransferReport> RunTransfer(Direction direction, const ObjectStore& store, Remote& remote,
                                   std::span<const ObjectId> ids, const std::string& label);

// The report's failures as one Status (the first failure's message, with a count), or ok.
Status TransferFailures(const TransferReport& report);

}  // namespace gitmodel::cli
