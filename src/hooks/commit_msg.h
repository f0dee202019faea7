// commit-msg: the hyperparameter values a commit changes, and the trailer that records them in
// the commit message (docs/hooks.md).
#pragma once

#include <string>
#include <vector>

#include "git/repo.h"
#include "gitmodel/status.h"
#include "hooks/trailer.h"
#include "hyperparams/project_config.h"

namespace gitmodel {

// The values changed between HEAD and the index in every staged config file (added, modified or
// deleted; config globs of `config`), compared by meaning (DiffParams). Labels are the keys, or
// "path:key" when more than one config file changed. A side that does not parse is skipped
// (pre-commit refuses it); a file that did not exist counts as empty.
Result<std::vector<LabeledChange>> StagedParamChanges(const GitRepo& repo, const ProjectConfig& config);

struct TrailerOutcome {
  std::string trailer;  // the line added; "" when none was
  std::string reason;   // why none was: "disabled", "already present", "no hyperparameter changed"
};

// Adds the Hyperparams trailer to the message file at `message_path` (rewritten atomically) unless
// config.hooks.trailer is false, `no_trailer` is set (GIT_MODEL_NO_TRAILER=1), the message already
// has one (re-runs and `--amend` keep the line they have), or no value changed.
Result<TrailerOutcome> AddHyperparamTrailer(const GitRepo& repo, const ProjectConfig& config,
                                            const std::string& message_path, bool no_trailer);

}  // namespace gitmodel
