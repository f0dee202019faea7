#include "hooks/commit_msg.h"

#include <optional>

#include "base/atomic_file.h"
#include "git/repo_config.h"
#include "git/staged_changes.h"
#include "hooks/staged_checks.h"
#include "hyperparams/config_readers.h"

namespace gitmodel {
namespace {

constexpr uint64_t kMaxMessageBytes = 64 << 20;

// The parameters in blob `id` ("" = no file: empty); nullopt when it does not parse.
std::optional<FlatParams> ParamsOf(const GitRepo& repo, const std::string& id, const std::string& path) {
  if (id.empty()) return FlatParams();
  auto format = ConfigFormatForPath(path);
  auto text = ReadBlobBytes(repo, id, kMaxConfigBytes);
  if (!format.ok() || !text.ok()) return std::nullopt;
  auto params = ParseConfigText(*format, *text, path);
  if (!params.ok()) return std::nullopt;
  return std::move(*params);
}

// core.commentChar, '#' unless set to one character ("auto" picks per message; '#' is its usual pick).
char CommentChar(const GitRepo& repo) {
  auto value = ReadConfigString(repo, "core.commentChar");
  if (value.ok() && *value && (*value)->size() == 1) return (**value)[0];
  return '#';
}

}  // namespace

Result<std::vector<LabeledChange>> StagedParamChanges(const GitRepo& repo, const ProjectConfig& config) {
  GM_ASSIGN_OR_RETURN(std::vector<StagedChange> staged, ReadStagedChanges(repo));
  std::vector<std::pair<std::string, std::vector<ParamChange>>> per_file;
  for (const StagedChange& c : staged) {
    if (!IsCheckedConfig(config, c.path)) continue;
    std::optional<FlatParams> before = ParamsOf(repo, c.old_id, c.path);
    std::optional<FlatParams> after = ParamsOf(repo, c.new_id, c.path);
    if (!before || !after) continue;
    std::vector<ParamChange> changes = DiffParams(*before, *after);
    if (!changes.empty()) per_file.emplace_back(c.path, std::move(changes));
  }
  std::vector<LabeledChange> out;
  for (auto& [path, changes] : per_file)
    for (ParamChange& change : changes)
      out.push_back({per_file.size() > 1 ? path + ":" + change.key : change.key, std::move(change)});
  return out;
}

Result<TrailerOutcome> AddHyperparamTrailer(const GitRepo& repo, const ProjectConfig& config,
                                            const std::string& message_path, bool no_trailer) {
  if (!config.hooks.trailer || no_trailer) return TrailerOutcome{"", "disabled"};
  GM_ASSIGN_OR_RETURN(std::string message, ReadSmallFile(message_path, kMaxMessageBytes));
  const char comment_char = CommentChar(repo);
  if (HasHyperparamTrailer(message, comment_char)) return TrailerOutcome{"", "already present"};
  GM_ASSIGN_OR_RETURN(std::vector<LabeledChange> changes, StagedParamChanges(repo, config));
  const std::string trailer = HyperparamTrailer(changes);
  if (trailer.empty()) return TrailerOutcome{"", "no hyperparameter changed"};
  const std::string updated = AddTrailer(message, trailer, comment_char);
  if (updated == message) return TrailerOutcome{"", "empty message"};
  GM_RETURN_IF_ERROR(WriteFileAtomically(message_path, updated));
  return TrailerOutcome{trailer, ""};
}

}  // namespace gitmodel
