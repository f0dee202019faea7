// The `Hyperparams:` trailer commit-msg adds (docs/hooks.md), as pure text functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "hyperparams/param_diff.h"

namespace gitmodel {

inline constexpr std::string_view kTrailerToken = "Hyperparams";
inline constexpr size_t kTrailerMaxChanges = 8;      // then "(+N more)"
inline constexpr size_t kTrailerMaxValueChars = 40;  // longer values end in "..."

struct LabeledChange {
  std::string label;  // the key, or "file:key" when several config files changed
  ParamChange change;
};

// "Hyperparams: lr 0.01 -> 0.001, dropout (added) 0.1, momentum 0.9 -> (removed) (+3 more)";
// "" when `changes` is empty. One line: control characters in values become spaces.
std::string HyperparamTrailer(const std::vector<LabeledChange>& changes);

// True when the message already holds a `Hyperparams:` trailer line.
bool HasHyperparamTrailer(std::string_view message, char comment_char);

// `message` (a COMMIT_EDITMSG as git writes it) with `trailer` added as git interpret-trailers
// places it: after the message's last line that is not blank and not a comment, which is
// everything before a scissors line and the trailing comment block; directly under an existing
// trailer block, else after a blank line. A message with no text (which git would refuse as
// empty) is returned unchanged, so a trailer never makes an aborted commit go through.
std::string AddTrailer(std::string_view message, std::string_view trailer, char comment_char);

}  // namespace gitmodel
