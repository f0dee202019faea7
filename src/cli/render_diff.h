// Text and JSON output of `git model diff` (and the external-diff mode).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/diff_runner.h"
#include "diff/provenance_diff.h"
#include "gitmodel/checkpoint.h"
#include "gitmodel/diff.h"

namespace gitmodel::cli {

// Everything the renderers show. Pointers are never null except `provenance`.
struct DiffView {
  const DiffArgs* args = nullptr;
  const Checkpoint* a = nullptr;
  const Checkpoint* b = nullptr;
  const CheckpointDiff* diff = nullptr;
  const ProvenanceDiff* provenance = nullptr;  // both sides carry a record
  std::string provenance_note;                 // why there is no provenance diff, if one side has a record
};

// The tensors of `section` that differ in any way (identical ones left out), ordered by
// args.sort: rel, l2 or maxabs descending (tensors added, removed or reshaped first, NaN before
// numbers), or name ascending.
std::vector<const TensorDiff*> ChangedTensors(const CheckpointDiff& diff, DiffSection section, const std::string& sort);

std::string DiffText(const DiffView& view);      // header, summary, tables, content, provenance
std::string DiffStatText(const DiffView& view);  // --stat: a line per changed tensor and the summary
nlohmann::json DiffJson(const DiffView& view);

}  // namespace gitmodel::cli
