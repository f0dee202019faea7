// Blame walks parent links from the tip. A parent whose file has the same blob id takes the blame
// without parsing; otherwise both versions are parsed (cached) and compared by meaning. A parent
// whose version does not parse takes the blame through (a broken file sets nothing).
#include "hyperparams/param_blame.h"

#include <optional>
#include <utility>

#include <fmt/ranges.h>

#include "hyperparams/config_blobs.h"

namespace gitmodel {
namespace {

// Where the key's file is at one commit.
struct Position {
  CommitMeta commit;
  std::string path, blob;  // blob "" when the file is absent
};

class Blamer {
 public:
  Blamer(const GitRepo& repo, const std::string& key, const ParamQuery& query)
      : repo_(repo), key_(key), query_(query), selector_(query_), files_(repo, selector_), blobs_(repo) {}

  // The value at `p` (nullopt: absent); sets *broken when the file does not parse.
  Result<std::optional<nlohmann::json>> ValueAt(const Position& p, bool* broken) {
    *broken = false;
    if (p.blob.empty()) return std::optional<nlohmann::json>();
    GM_RETURN_IF_ERROR(blobs_.ParseAll({{p.path, p.blob}}));
    const ParsedConfig& parsed = blobs_.Get(p.blob);
    if (parsed.error) *broken = true;
    auto it = parsed.params.find(key_);
    if (it == parsed.params.end()) return std::optional<nlohmann::json>();
    return std::optional<nlohmann::json>(it->second);
  }

  // `child`'s file as it was at parent `parent_id` (following a rename).
  Result<Position> InParent(const Position& child, const std::string& parent_id) {
    Position p;
    GM_ASSIGN_OR_RETURN(p.commit, ReadCommitMeta(repo_, parent_id));
    GM_ASSIGN_OR_RETURN(FileSet before, files_.FilesOfTree(p.commit.tree));
    p.path = child.path;
    if (auto it = before.find(child.path); it != before.end()) {
      p.blob = it->second;
      return p;
    }
    GM_ASSIGN_OR_RETURN(FileSet after, files_.FilesOfTree(child.commit.tree));
    GM_ASSIGN_OR_RETURN(auto deltas, files_.Compare(p.commit.tree, before, child.commit.tree, after));
    for (const FileDelta& d : deltas)
      if (d.new_path == child.path && !d.old_path.empty()) p.path = d.old_path, p.blob = d.old_blob;
    return p;
  }

  static bool Same(const std::optional<nlohmann::json>& a, const std::optional<nlohmann::json>& b) {
    return a.has_value() == b.has_value() && (!a || SameParamValue(*a, *b));
  }

  // Follows `at` (holding `value`) back to the commit that set it; appends that step and returns
  // the first parent's position and value (nullopt at a root commit). A run of commits whose file
  // does not parse is passed through; when the value came from before it, the first commit after
  // the run (the one that fixed the file) set it.
  Result<std::optional<std::pair<Position, std::optional<nlohmann::json>>>> FindSetter(
      Position at, const std::optional<nlohmann::json>& value, std::vector<BlameStep>& steps) {
    using Next = std::optional<std::pair<Position, std::optional<nlohmann::json>>>;
    std::optional<Position> fixed;  // set while `at` is inside a run of unparseable versions
    for (;;) {
      std::optional<std::pair<Position, bool>> same;  // (position, broken)
      Next first;
      for (const std::string& parent_id : at.commit.parents) {
        GM_ASSIGN_OR_RETURN(Position p, InParent(at, parent_id));
        bool broken = false;
        std::optional<nlohmann::json> v;
        const bool unchanged = !p.blob.empty() && p.blob == at.blob;
        if (!unchanged) {
          GM_ASSIGN_OR_RETURN(v, ValueAt(p, &broken));
        }
        if (!first) first.emplace(p, v);
        if (unchanged || broken || Same(v, value)) {
          same.emplace(std::move(p), broken && !unchanged);
          break;
        }
      }
      if (same) {
        if (same->second && !fixed) fixed = at;
        if (!same->second && !(same->first.blob == at.blob && fixed)) fixed.reset();
        at = std::move(same->first);
        continue;
      }
      const Position& setter = fixed ? *fixed : at;
      steps.push_back({setter.commit, setter.path, ParamChange{key_, first ? first->second : std::nullopt, value}});
      return first;
    }
  }

 private:
  const GitRepo& repo_;
  const std::string& key_;
  ParamQuery query_;
  QuerySelector selector_;
  SelectedFiles files_;
  ConfigBlobs blobs_;
};

// The one selected file at the tip that holds `key`.
Result<std::pair<std::string, std::string>> FileWithKey(const GitRepo& repo, std::string_view tip,
                                                        const std::string& key, const ParamQuery& query) {
  ParamQuery exact = query;
  exact.key_globs.clear();
  exact.exact_keys = {key};
  GM_ASSIGN_OR_RETURN(std::vector<FileParams> files, ParamsAtRevision(repo, tip, exact));
  std::vector<std::string> holders;
  for (const FileParams& f : files)
    if (f.params.contains(key)) holders.push_back(f.path);
  if (holders.empty()) {
    ParamQuery near = query;
    near.exact_keys.clear();
    near.key_globs = {"*." + key};
    GM_ASSIGN_OR_RETURN(std::vector<FileParams> similar, ParamsAtRevision(repo, tip, near));
    std::vector<std::string> keys;
    for (const FileParams& f : similar)
      for (const auto& [k, v] : f.params) keys.push_back(k);
    if (keys.empty()) return NotFound("no config file at {} has the key '{}'", tip, key);
    return NotFound("no config file at {} has the key '{}' (did you mean {}?)", tip, key, fmt::join(keys, ", "));
  }
  if (holders.size() > 1)
    return InvalidArgument("'{}' is in {} files ({}); pick one with --file", key, holders.size(),
                           fmt::join(holders, ", "));
  QuerySelector selector(exact);
  SelectedFiles selected(repo, selector);
  GM_ASSIGN_OR_RETURN(std::string tree, TreeIdOf(repo, tip));
  GM_ASSIGN_OR_RETURN(FileSet at_tip, selected.FilesOfTree(tree));
  return std::make_pair(holders[0], at_tip[holders[0]]);
}

}  // namespace

Result<ParamBlame> BlameParam(const GitRepo& repo, std::string_view tip, const std::string& key,
                              const ParamQuery& query, bool all) {
  GM_ASSIGN_OR_RETURN(auto file, FileWithKey(repo, tip, key, query));
  ParamQuery one = query;
  one.files = {file.first};
  Blamer blamer(repo, key, one);
  Position at;
  GM_ASSIGN_OR_RETURN(at.commit, ReadCommitMeta(repo, tip));
  at.path = file.first;
  at.blob = file.second;
  bool broken = false;
  GM_ASSIGN_OR_RETURN(std::optional<nlohmann::json> value, blamer.ValueAt(at, &broken));
  ParamBlame blame{key, file.first, value.value_or(nullptr), {}};
  while (value) {
    GM_ASSIGN_OR_RETURN(auto next, blamer.FindSetter(std::move(at), value, blame.steps));
    if (!next || !all) break;
    at = std::move(next->first);
    value = std::move(next->second);
  }
  return blame;
}

}  // namespace gitmodel
