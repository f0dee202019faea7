// Hand-built change reports for tests of the renderers (report_render.h).
#pragma once

#include <string>

#include "report/change_report.h"

namespace gitmodel::testing {

// A week of five commits with something in every section: a breaking feature whose subject holds
// "<script>alert(1)</script>", an architecture change (1,234 -> 2,345 parameters) and an
// unreadable checkpoint, four hyperparameter changes (one value holds "|"), metrics "accuracy"
// (one point) and "val_loss" (five points, one NaN, best 0.5 at the fourth commit), a torch
// upgrade and two file churn rows. Commit i (1-5) has the id of 40 copies of the digit i.
ChangeReport SampleReport();

// A report of range "HEAD" with no commits: every section empty.
ChangeReport EmptyReport();

// The id SampleReport gives commit `i`.
std::string SampleCommitId(int i);

}  // namespace gitmodel::testing
