#include "store/model_remotes.h"

#include <algorithm>
#include <map>

#include "git/config_file.h"
#include "git/repo_config.h"

namespace gitmodel {
namespace {

constexpr std::string_view kPrefix = "git-model.remote.";

// "git-model.remote.<name>.<variable>" split; nullopt for other keys.
std::optional<std::pair<std::string, std::string>> SplitKey(const std::string& key) {
  if (!key.starts_with(kPrefix)) return std::nullopt;
  const size_t dot = key.rfind('.');
  if (dot <= kPrefix.size()) return std::nullopt;
  return std::pair(key.substr(kPrefix.size(), dot - kPrefix.size()), key.substr(dot + 1));
}

void Apply(ModelRemote& remote, const std::string& variable, const std::string& value) {
  if (variable == "url") remote.url = value;
  if (variable == "endpoint") remote.s3.endpoint = value;
  if (variable == "region") remote.s3.region = value;
  if (variable == "pathstyle") remote.s3.path_style = value == "true" || value == "yes" || value == "on" || value == "1";
}

std::string Key(const std::string& name, const char* variable) { return std::string(kPrefix) + name + "." + variable; }

}  // namespace

bool ValidRemoteName(const std::string& name) {
  if (name.empty() || name.size() > 100 || name[0] == '.' || name[0] == '-') return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
  });
}

Result<std::vector<ModelRemote>> ListModelRemotes(const GitRepo& repo) {
  GM_ASSIGN_OR_RETURN(std::vector<ConfigEntry> entries, ReadConfigWithPrefix(repo, kPrefix));
  std::vector<ModelRemote> out;
  for (const ConfigEntry& entry : entries) {
    auto split = SplitKey(entry.key);
    if (!split) continue;
    auto it = std::find_if(out.begin(), out.end(), [&](const ModelRemote& r) { return r.name == split->first; });
    if (it == out.end()) it = out.insert(out.end(), ModelRemote{split->first, "", {}});
    Apply(*it, split->second, entry.value);
  }
  std::erase_if(out, [](const ModelRemote& r) { return r.url.empty(); });
  return out;
}

Result<ModelRemote> FindModelRemote(const GitRepo& repo, const std::string& name) {
  GM_ASSIGN_OR_RETURN(std::vector<ModelRemote> remotes, ListModelRemotes(repo));
  for (ModelRemote& r : remotes)
    if (r.name == name) return std::move(r);
  std::string known;
  for (const ModelRemote& r : remotes) known += (known.empty() ? "" : ", ") + r.name;
  return NotFound("no git-model remote '{}' ({}; see `git model remote add`)", name,
                  known.empty() ? "none is configured" : "configured: " + known);
}

Result<std::optional<ModelRemote>> DefaultModelRemote(const GitRepo& repo) {
  GM_ASSIGN_OR_RETURN(std::vector<ModelRemote> remotes, ListModelRemotes(repo));
  GM_ASSIGN_OR_RETURN(std::optional<std::string> configured, ReadConfigString(repo, "git-model.defaultRemote"));
  for (const std::string& name : {configured.value_or(""), std::string("origin")})
    for (const ModelRemote& r : remotes)
      if (!name.empty() && r.name == name) return std::optional(r);
  if (remotes.size() == 1) return std::optional(remotes.front());
  return std::optional<ModelRemote>();
}

Status AddModelRemote(const GitRepo& repo, const ModelRemote& remote, bool replace) {
  if (!ValidRemoteName(remote.name))
    return InvalidArgument("'{}' is not a remote name (letters, digits, '-', '_', '.')", remote.name);
  GM_RETURN_IF_ERROR(OpenRemote(remote.url, remote.s3).status());
  auto existing = FindModelRemote(repo, remote.name);
  if (existing.ok() && !replace)
    return Status(Code::kConflict, fmt::format("git-model remote '{}' exists ({}); use --replace", remote.name, existing->url));
  if (existing.ok()) GM_RETURN_IF_ERROR(RemoveModelRemote(repo, remote.name));
  std::vector<ConfigValue> values = {{Key(remote.name, "url"), remote.url}};
  if (!remote.s3.endpoint.empty()) values.push_back({Key(remote.name, "endpoint"), remote.s3.endpoint});
  if (!remote.s3.region.empty()) values.push_back({Key(remote.name, "region"), remote.s3.region});
  if (remote.s3.path_style) values.push_back({Key(remote.name, "pathStyle"), "true"});
  return SetConfigValues(RepositoryConfigPath(repo), values).status();
}

Status RemoveModelRemote(const GitRepo& repo, const std::string& name) {
  GM_RETURN_IF_ERROR(FindModelRemote(repo, name).status());
  std::vector<std::string> keys;
  for (const char* variable : {"url", "endpoint", "region", "pathStyle"}) keys.push_back(Key(name, variable));
  return RemoveConfigKeys(RepositoryConfigPath(repo), keys).status();
}

Result<std::unique_ptr<Remote>> ConnectModelRemote(const ModelRemote& remote) {
  auto opened = OpenRemote(remote.url, remote.s3);
  if (!opened.ok()) return opened.status().WithContext("git-model remote '" + remote.name + "'");
  return opened;
}

}  // namespace gitmodel
