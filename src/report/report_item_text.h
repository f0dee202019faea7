// One-line plain-text descriptions of a change report's items, shared by the Markdown and HTML
// renderings (which escape them for their format).
#pragma once

#include <string>
#include <vector>

#include "report/change_report.h"

namespace gitmodel {

// Lists longer than this (the modules of a new checkpoint...) show their first entries and
// "... and N more".
inline constexpr size_t kMaxListedNames = 20;

// "Alice (8), Bob (4)"; "none" without authors.
std::string AuthorsText(const std::vector<AuthorCount>& authors);
// "20 (3 failed)" or "20".
std::string RunsText(const ReportSummary& summary);

// The lines describing one architecture change: "new checkpoint", "modules added: a, b", ...,
// "parameters 1,234 -> 2,345 (+1,111, +90.0%)", "tensors 10 -> 12"; or "error: <why>".
std::vector<std::string> ArchitectureDetails(const ArchitectureChange& change);
// "2.4.0 (first run r5 at abc1234, 2 runs)".
std::string EnvValueText(const EnvValueSeen& seen);
// "python 3.11, cuda 12.1".
std::string UnchangedEnvText(const std::vector<EnvUnchanged>& fields);
// "0.9 -> 0.6 (-0.3)": a metric move's values and delta, without the commit.
std::string MoveValuesText(const MetricMove& move);
// "+120 -30".
std::string LinesText(const FileChurn& churn);

}  // namespace gitmodel
