#include "runs/run_compare.h"

#include <map>
#include <set>

#include "provenance/env_diff.h"

namespace gitmodel {
namespace {

std::vector<ComparedValue> CompareParams(const std::vector<RunRecord>& runs) {
  std::map<std::string, ComparedValue> by_key;
  for (size_t i = 0; i < runs.size(); ++i) {
    for (const auto& [key, value] : runs[i].capture.hyperparams) {
      ComparedValue& row = by_key[key];
      row.key = key;
      row.values.resize(runs.size());
      row.values[i] = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }
  }
  std::vector<ComparedValue> out;
  for (auto& entry : by_key) {
    ComparedValue& row = entry.second;
    const auto& first = row.values[0];
    row.differs = std::any_of(row.values.begin(), row.values.end(), [&first](const auto& v) { return v != first; });
    out.push_back(std::move(row));
  }
  return out;
}

std::vector<ComparedMetric> CompareMetrics(const std::vector<RunRecord>& runs) {
  std::map<std::string, ComparedMetric> by_key;
  for (size_t i = 0; i < runs.size(); ++i) {
    for (const auto& [key, summary] : runs[i].metrics) {
      ComparedMetric& row = by_key[key];
      row.key = key;
      row.values.resize(runs.size());
      row.values[i] = summary;
    }
  }
  std::vector<ComparedMetric> out;
  for (auto& [key, row] : by_key) out.push_back(std::move(row));
  return out;
}

// Every key that differs between the first run and any other, with each run's value.
std::vector<ComparedValue> CompareEnvironments(const std::vector<RunRecord>& runs) {
  std::map<std::string, ComparedValue> by_key;
  for (size_t i = 1; i < runs.size(); ++i) {
    for (const EnvDifference& d : DiffEnv(runs[0].capture.env, runs[i].capture.env)) {
      ComparedValue& row = by_key[d.key];
      row.key = d.key;
      row.differs = true;
      if (row.values.empty()) row.values.assign(runs.size(), d.a);  // runs not differing hold the first's value
      row.values[i] = d.b;
    }
  }
  std::vector<ComparedValue> out;
  for (auto& [key, row] : by_key) out.push_back(std::move(row));
  return out;
}

CodeChanges CodeBetween(const GitRepo& repo, const RunRecord& from, const RunRecord& to) {
  CodeChanges changes{from.capture.git.commit, to.capture.git.commit, {}, ""};
  if (changes.from_commit.empty() || changes.to_commit.empty()) {
    changes.error = "a run was recorded outside a commit";
    return changes;
  }
  Result<std::vector<FileChange>> files = ChangesBetween(repo, changes.from_commit, changes.to_commit);
  if (files.ok()) {
    changes.files = std::move(*files);
  } else {
    changes.error = files.status().message();
  }
  return changes;
}

}  // namespace

Result<RunComparison> CompareRuns(const GitRepo& repo, std::vector<RunRecord> runs) {
  if (runs.size() < 2) return InvalidArgument("compare needs at least two runs, got {}", runs.size());
  RunComparison out;
  out.params = CompareParams(runs);
  out.metrics = CompareMetrics(runs);
  out.environment = CompareEnvironments(runs);
  for (size_t i = 1; i < runs.size(); ++i) out.code.push_back(CodeBetween(repo, runs[0], runs[i]));
  out.runs = std::move(runs);
  return out;
}

}  // namespace gitmodel
