#include "report/bisect_search.h"

#include <cmath>
#include <limits>

namespace gitmodel {

std::string_view VerdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kGood: return "good";
    case Verdict::kBad: return "bad";
    case Verdict::kSkip: return "skip";
    case Verdict::kUntested: return "untested";
  }
  return "untested";
}

CommitVerdict JudgeCommit(const CommitEvidence& evidence, const BisectRule& rule) {
  if (evidence.values.empty()) {
    return {evidence.runs_without_value ? Verdict::kSkip : Verdict::kUntested, std::nullopt};
  }
  // A NaN (a diverged run) is the worst value in the rule's direction, so it sorts where it
  // belongs in the median instead of poisoning it.
  const double worst = rule.good_when_at_least ? -std::numeric_limits<double>::infinity()
                                               : std::numeric_limits<double>::infinity();
  std::vector<double> values = evidence.values;
  bool any_nan = false;
  for (double& v : values) {
    if (std::isnan(v)) v = worst, any_nan = true;
  }
  double value = Aggregate(std::move(values), rule.agg);
  const bool good = rule.IsGood(value);
  if (any_nan && value == worst) value = std::nan("");  // shown as what the runs logged
  return {good ? Verdict::kGood : Verdict::kBad, value};
}

BisectSearch SearchFirstBad(const std::vector<Verdict>& verdicts) {
  BisectSearch search;
  const size_t bad_end = verdicts.size() - 1;
  for (size_t i = 1; i < bad_end; ++i) {
    if (verdicts[i] == Verdict::kGood) search.last_good = i;
  }
  search.first_bad = bad_end;
  for (size_t i = search.last_good + 1; i < bad_end; ++i) {
    if (verdicts[i] == Verdict::kBad) {
      search.first_bad = i;
      break;
    }
  }
  std::vector<size_t> untested;
  for (size_t i = search.last_good + 1; i < search.first_bad; ++i) {
    search.candidates.push_back(i);  // neither good nor bad: untested or skipped
    if (verdicts[i] == Verdict::kUntested) untested.push_back(i);
  }
  search.candidates.push_back(search.first_bad);
  for (size_t i = 1; i < search.last_good; ++i) {
    if (verdicts[i] == Verdict::kBad) search.contradictions.push_back(i);
  }
  if (!untested.empty()) search.next_to_test = untested[untested.size() / 2];
  return search;
}

}  // namespace gitmodel
