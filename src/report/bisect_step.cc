#include "report/bisect_step.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <limits>
#include <sstream>

#include <nlohmann/json.hpp>

#include "base/atomic_file.h"
#include "git/file_history.h"
#include "report/bisect_range.h"

namespace gitmodel {
namespace {

constexpr uint64_t kMaxStepsFile = 64 << 20;

// Records one run; adds its value, or counts it as a run without one.
Status RecordOne(const BisectStepOptions& options, BisectStep& step) {
  GM_ASSIGN_OR_RETURN(RunResult result, RecordRun(options.run));
  step.run_ids.push_back(result.record.id);
  auto metric = result.record.metrics.find(options.rule.metric);
  if (result.record.status == kRunFinished && metric != result.record.metrics.end()) {
    step.evidence.values.push_back(metric->second.last);
  } else {
    ++step.evidence.runs_without_value;
  }
  return OkStatus();
}

// Non-finite values as the metrics protocol writes them.
nlohmann::json ValueJson(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  return v;
}

double ValueOf(const nlohmann::json& v) {
  if (v.is_number()) return v.get<double>();
  if (v == "Infinity") return std::numeric_limits<double>::infinity();
  if (v == "-Infinity") return -std::numeric_limits<double>::infinity();
  return std::nan("");
}

// One JSON line appended with a single write (O_APPEND), as metrics files are.
Status AppendStep(const std::string& path, const BisectStep& step) {
  nlohmann::json line = {{"commit", step.commit}, {"values", nlohmann::json::array()},
                         {"runs_without_value", step.evidence.runs_without_value}, {"runs", step.run_ids}};
  for (double v : step.evidence.values) line["values"].push_back(ValueJson(v));
  const std::string text = line.dump() + "\n";
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return IOError("{}: cannot open: {}", path, std::strerror(errno));
  const ssize_t written = ::write(fd, text.data(), text.size());
  ::close(fd);
  if (written != static_cast<ssize_t>(text.size())) return IOError("{}: cannot append a bisect step", path);
  return OkStatus();
}

Result<CommitEvidence> EvidenceOfLine(const std::string& line, std::string& commit) {
  nlohmann::json j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("commit") || !j["commit"].is_string() || !j.contains("values") ||
      !j["values"].is_array() || !j.value("runs_without_value", nlohmann::json()).is_number_unsigned()) {
    return Corrupt("not a bisect step");
  }
  commit = j["commit"].get<std::string>();
  CommitEvidence e;
  e.runs_without_value = j["runs_without_value"].get<size_t>();
  for (const auto& v : j["values"]) e.values.push_back(ValueOf(v));
  return e;
}

}  // namespace

Result<BisectStep> RunBisectStep(const GitRepo& repo, const BisectStepOptions& options) {
  BisectStep step;
  GM_ASSIGN_OR_RETURN(CommitMeta head, ReadCommitMeta(repo, "HEAD"));
  step.commit = head.id;
  if (options.reuse_recorded) {
    GM_ASSIGN_OR_RETURN(auto recorded, RecordedEvidence(options.index_path, {head.id}, options.rule.metric));
    step.evidence.values = recorded.front().values;
  }
  const size_t wanted = static_cast<size_t>(std::max(options.repeat, 1));
  for (size_t attempt = 0; step.evidence.values.size() < wanted && attempt < 2 * wanted; ++attempt) {
    GM_RETURN_IF_ERROR(RecordOne(options, step));
    if (step.evidence.values.empty() && step.evidence.runs_without_value > 0) break;
  }
  step.verdict = JudgeCommit(step.evidence, options.rule);
  step.git_exit_code = step.verdict.verdict == Verdict::kGood ? 0 : step.verdict.verdict == Verdict::kBad ? 1 : 125;
  GM_RETURN_IF_ERROR(AppendStep(options.steps_path, step));
  return step;
}

Result<std::map<std::string, CommitEvidence>> ReadBisectSteps(const std::string& steps_path) {
  std::map<std::string, CommitEvidence> out;
  if (::access(steps_path.c_str(), F_OK) != 0) return out;
  GM_ASSIGN_OR_RETURN(std::string text, ReadSmallFile(steps_path, kMaxStepsFile));
  std::istringstream in(text);
  std::string line;
  for (size_t number = 1; std::getline(in, line); ++number) {
    std::string commit;
    Result<CommitEvidence> e = EvidenceOfLine(line, commit);
    if (!e.ok()) return Corrupt("{}:{}: not a bisect step", steps_path, number);
    CommitEvidence& merged = out[commit];
    merged.values.insert(merged.values.end(), e->values.begin(), e->values.end());
    merged.runs_without_value += e->runs_without_value;
  }
  return out;
}

}  // namespace gitmodel
