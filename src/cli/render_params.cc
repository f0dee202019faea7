#include "cli/render_params.h"

#include <algorithm>
#include <ctime>

#include <fmt/format.h>

#include "hyperparams/flat_params.h"

namespace gitmodel::cli {
namespace {

std::string ChangeLine(const ParamChange& c, size_t key_width, int indent) {
  std::string label = c.key + ":";
  label.resize(std::max(label.size(), key_width + 1), ' ');
  std::string values = !c.old_value ? "(added) " + ParamValueText(*c.new_value)
                       : !c.new_value ? ParamValueText(*c.old_value) + " -> (removed)"
                                      : ParamValueText(*c.old_value) + " -> " + ParamValueText(*c.new_value);
  return fmt::format("{:{}}{} {}\n", "", indent, label, values);
}

}  // namespace

std::string CommitDate(const CommitMeta& commit) {
  const time_t local = static_cast<time_t>(commit.time + int64_t{commit.offset_minutes} * 60);
  std::tm tm{};
  gmtime_r(&local, &tm);
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%S", &tm);
  const int offset = std::abs(commit.offset_minutes);
  return fmt::format("{}{}{:02}:{:02}", text, commit.offset_minutes < 0 ? '-' : '+', offset / 60, offset % 60);
}

std::string CommitHeadline(const CommitMeta& commit) {
  return fmt::format("{} {} {}  {}", commit.id.substr(0, 7), CommitDate(commit).substr(0, 10), commit.author,
                     commit.subject);
}

std::string FileChangesText(const std::vector<FileParamChanges>& files, int indent) {
  size_t key_width = 0;
  for (const FileParamChanges& f : files)
    for (const ParamChange& c : f.changes) key_width = std::max(key_width, c.key.size());
  std::string out;
  for (const FileParamChanges& f : files) {
    const bool renamed = f.old_path != f.path;
    if (files.size() > 1 || renamed || f.error) {
      std::string line = renamed ? fmt::format("{} -> {} (renamed)", f.old_path, f.path) : f.path;
      if (f.error) line = "error: " + *f.error;
      out += fmt::format("{:{}}{}\n", "", indent, line);
      if (f.error) continue;
    }
    for (const ParamChange& c : f.changes) out += ChangeLine(c, key_width, indent + (files.size() > 1 ? 2 : 0));
  }
  return out;
}

nlohmann::json CommitJson(const CommitMeta& commit) {
  return {{"id", commit.id},         {"parents", commit.parents}, {"author", commit.author},
          {"email", commit.email},   {"date", CommitDate(commit)}, {"subject", commit.subject}};
}

nlohmann::json ChangeJson(const ParamChange& change) {
  nlohmann::json out = {{"key", change.key}};
  out["kind"] = !change.old_value ? "added" : !change.new_value ? "removed" : "changed";
  if (change.old_value) out["old"] = *change.old_value;
  if (change.new_value) out["new"] = *change.new_value;
  return out;
}

nlohmann::json FileChangesJson(const std::vector<FileParamChanges>& files) {
  nlohmann::json out = nlohmann::json::array();
  for (const FileParamChanges& f : files) {
    nlohmann::json file = {{"path", f.path}, {"old_path", f.old_path}};
    if (f.error) file["error"] = *f.error;
    nlohmann::json changes = nlohmann::json::array();
    for (const ParamChange& c : f.changes) changes.push_back(ChangeJson(c));
    file["changes"] = std::move(changes);
    out.push_back(std::move(file));
  }
  return out;
}

}  // namespace gitmodel::cli
