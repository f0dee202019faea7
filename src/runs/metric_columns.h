// Which metrics a listing shows when a run has many (`git model runs` columns, `git model log`
// text): the ones asked for first, then those most of the listed runs have.
#pragma once

#include <string>
#include <vector>

#include "runs/run_index.h"

namespace gitmodel {

// At most `count` names: `preferred` (in order, without repeats), then the metrics most of
// `rows` have, the most common first (ties in name order).
std::vector<std::string> MetricColumns(const std::vector<RunRow>& rows, std::vector<std::string> preferred,
                                       size_t count);

}  // namespace gitmodel
