// pre-push: what git tells the hook on stdin. Today the hook only reads and checks it; a later
// version uploads the objects of checkpoints stored by git-model's filter here (docs/hooks.md).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "gitmodel/status.h"

namespace gitmodel {

struct PushedRef {
  std::string local_ref, local_id, remote_ref, remote_id;  // ids are hex; all zeros = none
};

// Parses git's pre-push input: one "<local ref> SP <local id> SP <remote ref> SP <remote id>" line
// per ref pushed. kInvalidArgument naming the line when one does not have four fields.
Result<std::vector<PushedRef>> ParsePrePushInput(std::string_view text);

}  // namespace gitmodel
