#include "report/report_item_text.h"

#include <fmt/format.h>

#include "report/report_text.h"

namespace gitmodel {
namespace {

// "a, b, c" with at most kMaxListedNames names, then "... and N more".
std::string NameList(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size() && i < kMaxListedNames; ++i) out += (i > 0 ? ", " : "") + names[i];
  if (names.size() > kMaxListedNames) out += fmt::format(" ... and {} more", names.size() - kMaxListedNames);
  return out;
}

void AddNames(std::vector<std::string>& lines, std::string_view label, const std::vector<std::string>& names) {
  if (!names.empty()) lines.push_back(fmt::format("{} ({}): {}", label, names.size(), NameList(names)));
}

}  // namespace

std::string AuthorsText(const std::vector<AuthorCount>& authors) {
  if (authors.empty()) return "none";
  std::string out;
  for (const AuthorCount& a : authors) out += fmt::format("{}{} ({})", out.empty() ? "" : ", ", a.name, a.commits);
  return out;
}

std::string RunsText(const ReportSummary& summary) {
  if (summary.failed_runs == 0) return fmt::format("{}", summary.runs);
  return fmt::format("{} ({} failed)", summary.runs, summary.failed_runs);
}

std::vector<std::string> ArchitectureDetails(const ArchitectureChange& change) {
  if (change.error) return {"error: " + *change.error};
  std::vector<std::string> lines;
  if (change.previous_commit.empty()) lines.push_back("new checkpoint");
  AddNames(lines, "modules added", change.modules_added);
  AddNames(lines, "modules removed", change.modules_removed);
  AddNames(lines, "tensors reshaped", change.tensors_reshaped);
  lines.push_back("parameters " + ParametersText(change.parameters_before, change.parameters_after));
  lines.push_back(fmt::format("tensors {} -> {}", CountText(change.tensors_before), CountText(change.tensors_after)));
  return lines;
}

std::string EnvValueText(const EnvValueSeen& seen) {
  return fmt::format("{} (first run {} at {}, {} run{})", seen.value, seen.first_run, ShortId(seen.commit.id),
                     seen.runs, seen.runs == 1 ? "" : "s");
}

std::string UnchangedEnvText(const std::vector<EnvUnchanged>& fields) {
  std::string out;
  for (const EnvUnchanged& f : fields) out += fmt::format("{}{} {}", out.empty() ? "" : ", ", f.field, f.value);
  return out;
}

std::string MoveValuesText(const MetricMove& move) {
  std::string out = NumberText(move.from) + " -> " + NumberText(move.to);
  const double delta = move.to - move.from;
  return out + " (" + (delta >= 0 ? "+" : "") + NumberText(delta) + ")";
}

std::string LinesText(const FileChurn& churn) {
  return fmt::format("+{} -{}", CountText(churn.added_lines), CountText(churn.deleted_lines));
}

}  // namespace gitmodel
