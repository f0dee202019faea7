#include "hyperparams/config_blobs.h"

#include "base/parallel.h"
#include "hyperparams/config_readers.h"
#include "hyperparams/project_config.h"
#include "hyperparams/yaml_fast.h"

namespace gitmodel {
namespace {

bool DecideFile(const ParamQuery& query, std::string_view path) {
  if (!ConfigFormatForPath(path).ok()) return false;
  if (!query.files.empty()) {
    for (const std::string& file : query.files)
      if (file == path) return true;
    return false;
  }
  for (const std::string& glob : query.config_globs)
    if (MatchesConfigGlob(glob, path)) return true;
  return false;
}

bool DecideDir(const ParamQuery& query, std::string_view dir) {
  if (!query.files.empty()) {
    for (const std::string& file : query.files)
      if (file.size() > dir.size() && file.starts_with(dir) && file[dir.size()] == '/') return true;
    return false;
  }
  for (const std::string& glob : query.config_globs)
    if (ConfigGlobMayMatchUnder(glob, dir)) return true;
  return false;
}

}  // namespace

bool QuerySelector::Selects(std::string_view path) const { return Decide(path, false); }
bool QuerySelector::MayContain(std::string_view dir) const { return Decide(dir, true); }

bool QuerySelector::Decide(std::string_view path, bool dir) const {
  auto& memo = dir ? dirs_ : files_;
  if (auto it = memo.find(path); it != memo.end()) return it->second;
  const bool yes = dir ? DecideDir(query_, path) : DecideFile(query_, path);
  memo.emplace(std::string(path), yes);
  return yes;
}

Status ConfigBlobs::ParseAll(const std::vector<std::pair<std::string, std::string>>& files) {
  struct Job {
    std::string path, blob, text;
    ParsedConfig result;
  };
  std::vector<Job> jobs;
  std::map<std::string, bool> queued;
  for (const auto& [path, blob] : files) {
    if (blob.empty() || parsed_.contains(blob) || queued[blob]) continue;
    queued[blob] = true;
    Job job{path, blob, "", {}};
    auto text = ReadBlobText(repo_, blob, kMaxConfigBytes);
    if (text.ok()) {
      job.text = std::move(*text);
    } else if (text.status().code() == Code::kLimit) {
      job.result.error = fmt::format("{}: {}", path, text.status().message());
    } else {
      return text.status();
    }
    jobs.push_back(std::move(job));
  }
  ParallelFor(jobs.size(), [&](size_t i) {
    Job& job = jobs[i];
    if (job.result.error) return;
    auto format = ConfigFormatForPath(job.path);
    if (format.ok() && *format == ConfigFormat::kYaml) {
      if (std::optional<FlatParams> fast = TryParseSimpleYaml(job.text)) {
        job.result.params = std::move(*fast);
        return;
      }
    }
    auto params = format.ok() ? ParseConfigText(*format, job.text, job.path) : Result<FlatParams>(format.status());
    if (params.ok()) {
      job.result.params = std::move(*params);
    } else {
      job.result.error = params.status().message();
    }
  });
  for (Job& job : jobs) parsed_.emplace(std::move(job.blob), std::move(job.result));
  return OkStatus();
}

const ParsedConfig& ConfigBlobs::Get(const std::string& blob_id) const {
  static const ParsedConfig kEmpty;
  auto it = parsed_.find(blob_id);
  return it == parsed_.end() ? kEmpty : it->second;
}

}  // namespace gitmodel
