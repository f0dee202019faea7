// The search for the first bad commit over what is known (docs/report.md, "Offline bisect"):
// given a verdict for each commit from the good revision to the bad one, in order, which commit
// is the first bad one, or which it could be, and which commit to test next to narrow it down.
// Pure; the offline bisect (offline_bisect.h) feeds it recorded runs, `--fill` runs what it asks.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include "report/bisect_rule.h"

namespace gitmodel {

enum class Verdict {
  kGood,
  kBad,
  kSkip,      // runs there failed or logged no value: it cannot be tested
  kUntested,  // no runs
};

// "good", "bad", "skip", "untested".
std::string_view VerdictName(Verdict verdict);

// What the runs at one commit say: the values of the metric from its finished runs (NaN kept),
// and how many runs gave none (failed, killed, not started, or finished without logging it).
struct CommitEvidence {
  std::vector<double> values;
  size_t runs_without_value = 0;
};

struct CommitVerdict {
  Verdict verdict = Verdict::kUntested;
  std::optional<double> value;  // the aggregate, when there are values
};

// Good or bad by `rule` when there are values (NaN counts as the worst value), else skip when
// runs failed, else untested.
CommitVerdict JudgeCommit(const CommitEvidence& evidence, const BisectRule& rule);

struct BisectSearch {
  // Indices into the verdicts. The last good commit: the newest good one, the good revision (0)
  // when no other is. The first bad commit after it: the bad revision (the last) when no other is.
  size_t last_good = 0;
  size_t first_bad = 0;
  // What the first bad commit could be: the untested and skipped commits after last_good, then
  // first_bad. One element: it is found.
  std::vector<size_t> candidates;
  // Commits measured bad before last_good: the metric crossed the threshold more than once.
  std::vector<size_t> contradictions;
  // The untested candidate in the middle: testing it halves the uncertainty. nullopt when none is.
  std::optional<size_t> next_to_test;

  bool found() const { return candidates.size() == 1; }
};

// verdicts[0] is the good revision's, verdicts.back() the bad revision's (at least two); the
// search takes the user's word for both ends whatever they measure.
BisectSearch SearchFirstBad(const std::vector<Verdict>& verdicts);

}  // namespace gitmodel
