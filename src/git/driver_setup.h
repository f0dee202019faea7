// What `git model install` configures, one function per concern, so that later concerns (the
// storage filter) add a function here and a flag to the command.
#pragma once

#include <string>
#include <vector>

#include "git/config_file.h"

namespace gitmodel {

// The diff driver named in .gitattributes (`diff=git-model`).
inline constexpr char kDiffDriver[] = "git-model";
// The program git runs for the driver: git-model must be on PATH under this name.
inline constexpr char kProgram[] = "git-model";

// diff.git-model.textconv and .cachetextconv; with `external`, diff.git-model.command too (git diff
// then runs `git-model git-diff`; log -p and show keep the textconv text unless --ext-diff).
std::vector<ConfigValue> DiffDriverConfig(bool external);

// `*.pt diff=git-model` and the same for .pth, .ckpt and .safetensors.
std::vector<std::string> DiffAttributeLines();

// The storage filter named in .gitattributes (`filter=git-model`, written by `git model track`).
inline constexpr char kFilterDriver[] = "git-model";

// filter.git-model.process (the long-running filter process) and filter.git-model.required (a
// failing filter fails the git command instead of storing the file's bytes in git).
std::vector<ConfigValue> FilterDriverConfig();

// The .gitattributes line that tracks `pattern`: `PATTERN filter=git-model diff=git-model -text`.
std::string TrackAttributeLine(const std::string& pattern);

}  // namespace gitmodel
