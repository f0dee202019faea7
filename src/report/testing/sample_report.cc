#include "report/testing/sample_report.h"

#include <limits>

namespace gitmodel::testing {
namespace {

constexpr int64_t kMonday = 1794830400;  // 2026-11-16T12:00:00Z
constexpr int64_t kDay = 86400;

ReportCommit Commit(int i) {
  static const char* kSubjects[] = {"Add encoder", "fix: clip grads", "Widen the encoder", "tune lr",
                                    "feat(data)!: stream shards <script>alert(1)</script>"};
  ReportCommit c{SampleCommitId(i), i % 2 ? "Alice" : "Bob", kMonday + (i - 1) * kDay / 2, 60, kSubjects[i - 1]};
  if (i == 5) c.time = 1795165200;  // 2026-11-20T09:00:00Z, 10:00 in the author's +01:00
  return c;
}

ReportSummary Summary() {
  ReportSummary s;
  s.range = "main~5..main";
  s.since = 1794528000;  // 2026-11-13
  s.until = 1795219200;  // 2026-11-21
  s.commits = 5;
  s.authors = {{"Alice", "alice@example.org", 3}, {"Bob", "bob@example.org", 2}};
  s.runs = 7;
  s.failed_runs = 2;
  s.first_time = Commit(1).time;
  s.last_time = Commit(5).time;
  return s;
}

std::vector<FeatureGroup> Features() {
  FeatureGroup feat{"feat", "Features", {{Commit(5), "data", "stream shards <script>alert(1)</script>", true}}};
  FeatureGroup fix{"fix", "Fixes", {{Commit(2), "", "clip grads", false}}};
  return {feat, fix};
}

std::vector<ArchitectureChange> Architecture() {
  ArchitectureChange widened{"model.pt", Commit(3), SampleCommitId(1), {"encoder.3"}, {"decoder.old"},
                             {"head.weight"}, 1234, 2345, 10, 12, std::nullopt};
  ArchitectureChange broken{"broken.pt", Commit(4), SampleCommitId(3), {}, {}, {}, 0, 0, 0, 0,
                            "truncated storage data/0"};
  return {widened, broken};
}

std::vector<HyperparamChange> Hyperparams() {
  return {{Commit(2), "config.yaml", {"lr", 0.01, 0.001}},
          {Commit(3), "config.yaml", {"warmup", std::nullopt, 100}},
          {Commit(4), "config.yaml", {"dropout", 0.1, std::nullopt}},
          {Commit(4), "config.yaml", {"sched", "cos|lin", "step"}}};
}

MetricAtCommit Point(int i, double value) { return {Commit(i), value, 1}; }

std::vector<MetricTrend> Performance() {
  MetricTrend accuracy{"accuracy", true, {Point(5, 0.8)}, Point(5, 0.8), Point(5, 0.8), Point(5, 0.8), {}};
  const double nan = std::numeric_limits<double>::quiet_NaN();
  MetricTrend loss{"val_loss", false, {Point(1, 0.9), Point(2, nan), Point(3, 0.6), Point(4, 0.5), Point(5, 0.55)},
                   Point(1, 0.9), Point(5, 0.55), Point(4, 0.5), {}};
  loss.biggest_moves = {{Commit(3), SampleCommitId(1), 0.9, 0.6}, {Commit(4), SampleCommitId(3), 0.6, 0.5}};
  return {accuracy, loss};
}

}  // namespace

std::string SampleCommitId(int i) { return std::string(40, static_cast<char>('0' + i)); }

ChangeReport SampleReport() {
  ChangeReport r;
  r.summary = Summary();
  r.features = Features();
  r.architecture = Architecture();
  r.hyperparams = Hyperparams();
  r.performance = Performance();
  r.environment = {{"torch", {{"2.3.0", "run-1", Commit(1), 4}, {"2.4.0", "run-5", Commit(4), 3}}}};
  r.environment_unchanged = {{"python", "3.11.9"}, {"cuda", "12.1"}};
  r.churn = {{"train.py", 3, 120, 30}, {"model/__init__.py", 1, 5, 0}};
  return r;
}

ChangeReport EmptyReport() {
  ChangeReport r;
  r.summary.range = "HEAD";
  return r;
}

}  // namespace gitmodel::testing
