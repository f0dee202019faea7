#include "diff/provenance_diff.h"

#include <cctype>
#include <map>
#include <utility>

#include "diff/content_tree.h"
#include "formats/node_text.h"
#include "git/commit_range.h"
#include "git/commit_show.h"
#include "git/repo.h"
#include "hyperparams/flat_params.h"
#include "hyperparams/param_diff.h"

namespace gitmodel {
namespace {

using json = nlohmann::json;
using TextMap = std::map<std::string, std::string>;

std::string ShortId(const std::string& id) { return id.substr(0, 7); }

// Records come from checkpoint files: only a hex id may reach revision parsing, so a recorded
// "HEAD" or "main~2" is never resolved against today's repository.
bool IsHexId(const std::string& text) {
  if (text.size() < 4 || text.size() > 64) return false;
  for (char c : text) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// Why no range can be listed for `commit` in `repo`; "" when it can.
std::string CommitProblem(const GitRepo& repo, const std::string& commit) {
  if (!IsHexId(commit)) return fmt::format("recorded commit '{}' is not a commit id", ValidUtf8(commit.substr(0, 64)));
  Result<bool> exists = CommitExists(repo, commit);
  if (!exists.ok()) return exists.status().message();
  return *exists ? "" : fmt::format("commit {} is not in this repository", ShortId(commit));
}

// Fills diff.range, or diff.range_note with the reason it stays empty.
void FindRange(const ProvenanceDiffOptions& options, ProvenanceDiff& diff) {
  if (diff.commit_a == diff.commit_b) return;
  if (diff.commit_a.empty() || diff.commit_b.empty()) {
    diff.range_note = fmt::format("no commit recorded for {}", diff.commit_a.empty() ? "A" : "B");
    return;
  }
  if (options.repo_path.empty()) {
    diff.range_note = "no repository given";
    return;
  }
  Result<std::optional<GitRepo>> repo = DiscoverRepo(options.repo_path);
  if (!repo.ok() || !repo->has_value()) {
    diff.range_note = repo.ok() ? "no repository here" : repo.status().message();
    return;
  }
  for (const std::string* commit : {&diff.commit_a, &diff.commit_b}) {
    diff.range_note = CommitProblem(**repo, *commit);
    if (!diff.range_note.empty()) return;
  }
  Result<CommitRange> between = CommitsBetween(**repo, diff.commit_a, diff.commit_b, options.commit_limit);
  if (!between.ok()) {
    diff.range_note = between.status().message();
    return;
  }
  for (CommitLine& c : between->commits) c.subject = ValidUtf8(c.subject, /*escape_controls=*/false);
  diff.range = std::move(*between);
}

// Hyperparameters compare by meaning (1e-3 is 0.001), and show as ParamValueText writes them.
std::vector<ContentChange> HyperparamChanges(const FlatParams& a, const FlatParams& b) {
  std::vector<ContentChange> out;
  auto text = [](const std::optional<nlohmann::json>& v) {
    return v ? std::optional(ParamValueText(*v)) : std::nullopt;
  };
  for (const ParamChange& c : DiffParams(a, b)) out.push_back({c.key, text(c.old_value), text(c.new_value)});
  return out;
}

TextMap MetricTexts(const std::map<std::string, double>& metrics) {
  TextMap out;
  for (const auto& [key, value] : metrics) out.emplace(key, PythonFloatText(value));
  return out;
}

// Path -> tree hash. A path listed twice in one record keeps its first hash.
TextMap DataHashes(const std::vector<DataDigest>& data) {
  TextMap out;
  for (const DataDigest& d : data) out.emplace(d.path, d.tree_hash);
  return out;
}

json TextOrNull(const std::optional<std::string>& text) { return text ? json(*text) : json(nullptr); }
json TextOrNull(const std::string& text) { return text.empty() ? json(nullptr) : json(text); }

json ChangesToJson(const std::vector<ContentChange>& changes, const char* key_name) {
  json out = json::array();
  for (const ContentChange& c : changes) {
    out.push_back({{key_name, c.path}, {"a", TextOrNull(c.a)}, {"b", TextOrNull(c.b)}});
  }
  return out;
}

json CommitsToJson(const ProvenanceDiff& diff) {
  json between = nullptr, total = nullptr, behind = nullptr;
  if (diff.range) {
    between = json::array();
    for (const CommitLine& c : diff.range->commits) between.push_back({{"id", c.id}, {"subject", c.subject}});
    total = diff.range->total;
    behind = diff.range->behind;
  }
  return {{"a", TextOrNull(diff.commit_a)}, {"b", TextOrNull(diff.commit_b)},
          {"dirty_a", diff.dirty_a},        {"dirty_b", diff.dirty_b},
          {"between", std::move(between)},  {"total", std::move(total)},
          {"behind", std::move(behind)},    {"note", TextOrNull(diff.range_note)}};
}

}  // namespace

ProvenanceDiff DiffProvenance(const ProvenanceRecord& a, const ProvenanceRecord& b,
                              const ProvenanceDiffOptions& options) {
  ProvenanceDiff diff;
  diff.commit_a = a.git.commit;
  diff.commit_b = b.git.commit;
  diff.dirty_a = a.git.dirty;
  diff.dirty_b = b.git.dirty;
  FindRange(options, diff);
  diff.hyperparams = HyperparamChanges(a.hyperparams, b.hyperparams);
  diff.metrics = DiffContent(MetricTexts(a.metrics), MetricTexts(b.metrics));
  diff.env = DiffEnv(a.env, b.env);
  diff.data = DiffContent(DataHashes(a.data), DataHashes(b.data));
  return diff;
}

nlohmann::json ProvenanceDiffToJson(const ProvenanceDiff& diff) {
  json env = json::array();
  for (const EnvDifference& e : diff.env) env.push_back({{"key", e.key}, {"a", e.a}, {"b", e.b}});
  return {{"commits", CommitsToJson(diff)},
          {"hyperparams", ChangesToJson(diff.hyperparams, "key")},
          {"metrics", ChangesToJson(diff.metrics, "key")},
          {"env", std::move(env)},
          {"data", ChangesToJson(diff.data, "path")}};
}

}  // namespace gitmodel
