// The JSON form of a checkpoint diff (`git model diff --json`, schema git-model/diff/v1).
// docs/diff.md lists every field. Non-finite numbers (a rel of +inf, a NaN cosine) are null.
#pragma once

#include <nlohmann/json.hpp>

#include "gitmodel/diff.h"

namespace gitmodel {

inline constexpr std::string_view kDiffSchema = "git-model/diff/v1";

nlohmann::json TensorDiffToJson(const TensorDiff& tensor);
nlohmann::json ModuleDiffToJson(const ModuleDiff& module);
nlohmann::json SummaryToJson(const DiffSummary& summary);
nlohmann::json ContentChangeToJson(const ContentChange& change);

}  // namespace gitmodel
