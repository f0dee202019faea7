// pre-push: what git tells the hook on stdin (the CLI then uploads what the pushed commits'
// pointers need: cli/pre_push_upload.h; docs/hooks.md).
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
