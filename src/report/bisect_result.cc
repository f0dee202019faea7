#include "report/bisect_result.h"

#include <algorithm>

#include <fmt/core.h>

namespace gitmodel {
namespace {

bool Tested(const CommitVerdict& v) { return v.verdict == Verdict::kGood || v.verdict == Verdict::kBad; }

void Count(const BisectFacts& facts, BisectResult& result) {
  const auto& verdicts = *facts.verdicts;
  result.commits = verdicts.size() - 1;
  for (size_t i = 1; i < verdicts.size(); ++i) {
    if (Tested(verdicts[i])) ++result.tested;
    else if (verdicts[i].verdict == Verdict::kSkip) ++result.skipped;
    else ++result.untested;
  }
}

// Indices of the rows to show: the candidates, and up to `context` tested or skipped commits on
// each side of them (all when 0), the good and bad revisions included.
std::vector<size_t> RowsAround(const BisectFacts& facts, size_t context) {
  const auto& verdicts = *facts.verdicts;
  const auto& candidates = facts.search->candidates;
  std::vector<size_t> rows(candidates.begin(), candidates.end());
  auto shown = [&](size_t i) { return verdicts[i].verdict != Verdict::kUntested; };
  size_t kept = 0;
  for (size_t i = candidates.front(); i-- > 0 && (context == 0 || kept < context);) {
    if (shown(i)) rows.push_back(i), ++kept;
  }
  kept = 0;
  for (size_t i = candidates.back() + 1; i < verdicts.size() && (context == 0 || kept < context); ++i) {
    if (shown(i)) rows.push_back(i), ++kept;
  }
  rows.push_back(0);
  rows.push_back(verdicts.size() - 1);
  std::sort(rows.begin(), rows.end());
  rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
  return rows;
}

void Warn(const BisectFacts& facts, BisectResult& result) {
  const auto& verdicts = *facts.verdicts;
  const auto& commits = *facts.commits;
  if (verdicts.front().verdict == Verdict::kBad) {
    result.warnings.push_back(fmt::format("the --good commit {} measures bad ({} fails)", commits.front().substr(0, 7),
                                          result.rule.GoodText()));
  }
  if (verdicts.back().verdict == Verdict::kGood) {
    result.warnings.push_back(fmt::format("the --bad commit {} measures good ({} holds)", commits.back().substr(0, 7),
                                          result.rule.GoodText()));
  }
  const auto& contradictions = facts.search->contradictions;
  if (!contradictions.empty()) {
    result.warnings.push_back(fmt::format(
        "the metric crossed the threshold more than once: {} commit(s) before the last good one measure bad, "
        "the oldest {}", contradictions.size(), commits[contradictions.front()].substr(0, 7)));
  }
}

Status DescribeFirstBad(const GitRepo& repo, const ParamQuery& params, BisectResult& result) {
  const CommitMeta& first_bad = result.candidates.front();
  if (first_bad.parents.empty()) return OkStatus();
  const std::string& parent = first_bad.parents.front();
  GM_ASSIGN_OR_RETURN(result.params, ParamsBetween(repo, parent, first_bad.id, params));
  GM_ASSIGN_OR_RETURN(result.files, ChangesBetween(repo, parent, first_bad.id));
  return OkStatus();
}

}  // namespace

Result<BisectResult> SummarizeBisect(const GitRepo& repo, const BisectRule& rule, const BisectFacts& facts,
                                     const ParamQuery& params, size_t context) {
  const auto& commits = *facts.commits;
  BisectResult result;
  result.rule = rule;
  GM_ASSIGN_OR_RETURN(result.good, ReadCommitMeta(repo, commits.front()));
  GM_ASSIGN_OR_RETURN(result.bad, ReadCommitMeta(repo, commits.back()));
  const auto& candidates = facts.search->candidates;
  for (size_t i : candidates) {
    GM_ASSIGN_OR_RETURN(CommitMeta meta, ReadCommitMeta(repo, commits[i]));
    result.candidates.push_back(std::move(meta));
  }
  Count(facts, result);
  for (size_t i : RowsAround(facts, context)) {
    const CommitEvidence& e = (*facts.evidence)[i];
    const bool candidate = std::find(candidates.begin(), candidates.end(), i) != candidates.end();
    GM_ASSIGN_OR_RETURN(CommitMeta meta, ReadCommitMeta(repo, commits[i]));
    result.around.push_back({std::move(meta), (*facts.verdicts)[i], e.values.size(), e.runs_without_value, candidate});
  }
  Warn(facts, result);
  if (result.found()) GM_RETURN_IF_ERROR(DescribeFirstBad(repo, params, result));
  return result;
}

}  // namespace gitmodel
