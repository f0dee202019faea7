// The change report of a period: what `git model report` writes (docs/report.md). For the commits
// of a range whose author time falls in [since, until]: who committed, what kind of work the
// subjects describe, how committed checkpoints' architecture changed, which hyperparameters
// changed, how each recorded metric moved and which commits moved it most, what changed in the
// runs' environment, and which files changed most.
//
// BuildChangeReport (report_build.h) fills it from git, the params history and the run index;
// report_render.h writes it as Markdown, one self-contained HTML file, or JSON.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "hyperparams/param_diff.h"

namespace gitmodel {

// A commit as the report cites it.
struct ReportCommit {
  std::string id;       // full hex id
  std::string author;
  int64_t time = 0;     // author time, seconds since the epoch
  int offset_minutes = 0;
  std::string subject;
};

struct AuthorCount {
  std::string name;
  std::string email;
  size_t commits = 0;
};

struct ReportSummary {
  std::string range;                 // as given ("HEAD" by default)
  std::optional<int64_t> since;      // the period's bounds, seconds since the epoch, when given
  std::optional<int64_t> until;
  size_t commits = 0;
  std::vector<AuthorCount> authors;  // most commits first, then by name
  size_t runs = 0;                   // recorded at the period's commits
  size_t failed_runs = 0;            // of those: failed, killed or not started
  std::optional<int64_t> first_time, last_time;  // of the oldest and newest commit
};

// Commit subjects grouped by kind: a Conventional Commits prefix ("feat(data)!: ...") when there
// is one, else the subject's first word ("Add", "Fix", "Speed up"...; report_build.cc has the
// table), else "other".
struct FeatureItem {
  ReportCommit commit;
  std::string scope;        // "data" of "feat(data): ..."; empty without one
  std::string description;  // the subject without its prefix
  bool breaking = false;    // "!" after the type, or "BREAKING CHANGE" in the subject
};

struct FeatureGroup {
  std::string kind;   // feat fix perf refactor revert docs test build ci style chore other
  std::string title;  // "Features", "Fixes", "Performance", ...
  std::vector<FeatureItem> items;  // oldest first
};

// How a committed checkpoint's architecture changed at one commit, against the version of the
// same path before it. Modules are tensor names without their last component ("encoder.0" of
// "encoder.0.weight"); parameters are the elements of every tensor the file holds.
struct ArchitectureChange {
  std::string path;
  ReportCommit commit;
  std::string previous_commit;  // the commit of the version compared with; empty when the file is new
  std::vector<std::string> modules_added;    // sorted
  std::vector<std::string> modules_removed;  // sorted
  std::vector<std::string> tensors_reshaped;  // same name, other shape or dtype; sorted
  uint64_t parameters_before = 0;
  uint64_t parameters_after = 0;
  size_t tensors_before = 0;
  size_t tensors_after = 0;
  std::optional<std::string> error;  // a version could not be read: why (the rest is then empty)
};

struct HyperparamChange {
  ReportCommit commit;
  std::string path;  // the config file
  ParamChange change;
};

// A metric's value at one commit: the median of the last values of the runs recorded there.
struct MetricAtCommit {
  ReportCommit commit;
  double value = 0;
  size_t runs = 0;
};

struct MetricMove {
  ReportCommit commit;         // the commit that moved the metric
  std::string previous;        // the commit before it that has a value (full id)
  double from = 0;
  double to = 0;
};

struct MetricTrend {
  std::string key;
  bool higher_is_better = true;  // false for names like loss, error, perplexity (report_build.cc)
  std::vector<MetricAtCommit> points;  // oldest commit first; non-empty
  MetricAtCommit first, last, best;
  std::vector<MetricMove> biggest_moves;  // largest |to - from| first, at most ReportOptions::top_moves
};

// One environment field across the period's runs, oldest run first, when it took more than one
// value (a field with a single value is listed in `unchanged`).
struct EnvValueSeen {
  std::string value;
  std::string first_run;  // run id
  ReportCommit commit;    // the commit that run was recorded at
  size_t runs = 0;        // how many runs had this value
};

struct EnvChange {
  std::string field;  // torch, torch_cuda, cuda, cuda_toolkit, cudnn, driver, python, gpu, image, os
  std::vector<EnvValueSeen> values;  // in the order they first appeared
};

struct EnvUnchanged {
  std::string field;
  std::string value;
};

struct FileChurn {
  std::string path;
  size_t commits = 0;  // commits of the period that changed it
  uint64_t added_lines = 0;
  uint64_t deleted_lines = 0;
};

struct ChangeReport {
  ReportSummary summary;
  std::vector<FeatureGroup> features;  // in the order of the kinds listed above; empty groups left out
  std::vector<ArchitectureChange> architecture;  // oldest commit first, then by path
  std::vector<HyperparamChange> hyperparams;     // oldest commit first, then by file and key
  std::vector<MetricTrend> performance;          // by metric name
  std::vector<EnvChange> environment;            // by field, in the order listed above
  std::vector<EnvUnchanged> environment_unchanged;
  std::vector<FileChurn> churn;                  // most commits first, then by path
};

}  // namespace gitmodel
