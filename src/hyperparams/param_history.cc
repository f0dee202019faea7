// Three passes: walk the history collecting the selected files' blob changes (serial: libgit2),
// parse every distinct blob once (parallel), then compare the parsed maps commit by commit.
#include "hyperparams/param_history.h"

#include <fnmatch.h>

#include <algorithm>
#include <utility>

#include "hyperparams/config_blobs.h"

namespace gitmodel {
namespace {

using PathBlobs = std::vector<std::pair<std::string, std::string>>;

struct WalkedCommit {
  CommitMeta commit;
  std::vector<FileDelta> deltas;
  std::vector<FileSet> other_parents;  // merges outside first-parent mode: the other parents' files
};

std::vector<ParamChange> SelectedChanges(const ParamQuery& query, const FlatParams& before, const FlatParams& after) {
  std::vector<ParamChange> changes = DiffParams(before, after);
  std::erase_if(changes, [&](const ParamChange& c) { return !KeySelected(query, c.key); });
  return changes;
}

// The params of the newest version of `blob` (at `path`) that parses, looking at older commits
// (after index `from`) for the versions it replaced; empty when there is none. Sets `*ran_out`
// when the search reached the oldest walked commit without finding the version's origin.
const FlatParams& LastParsed(const std::vector<WalkedCommit>& walked, const ConfigBlobs& blobs, size_t from,
                             std::string blob, bool* ran_out) {
  static const FlatParams kNone;
  for (size_t i = from + 1; i < walked.size() && !blob.empty(); ++i) {
    for (const FileDelta& d : walked[i].deltas) {
      if (d.new_blob != blob) continue;
      blob = d.old_blob;
      if (!blob.empty() && !blobs.Get(blob).error) return blobs.Get(blob).params;
      break;
    }
  }
  if (!blob.empty() && ran_out) *ran_out = true;
  return kNone;
}

// True when the merged `change` takes a value unchanged from a parent other than the first.
bool FromOtherParent(const ParamChange& change, const std::string& path, const WalkedCommit& merge,
                     const ConfigBlobs& blobs) {
  for (const FileSet& files : merge.other_parents) {
    auto it = files.find(path);
    const FlatParams* params = nullptr;
    if (it != files.end()) {
      const ParsedConfig& parsed = blobs.Get(it->second);
      if (parsed.error) continue;
      params = &parsed.params;
    }
    auto value = params ? params->find(change.key) : FlatParams::const_iterator();
    const bool present = params && value != params->end();
    if (!change.new_value) {
      if (!present) return true;
    } else if (present && SameParamValue(*change.new_value, value->second)) {
      return true;
    }
  }
  return false;
}

FileParamChanges CompareDelta(const std::vector<WalkedCommit>& walked, size_t index, const FileDelta& d,
                              const ConfigBlobs& blobs, const ParamQuery& query, bool* ran_out) {
  FileParamChanges out;
  out.path = d.new_path.empty() ? d.old_path : d.new_path;
  out.old_path = d.old_path.empty() ? out.path : d.old_path;
  static const ParsedConfig kAbsent;
  const ParsedConfig& after = d.new_blob.empty() ? kAbsent : blobs.Get(d.new_blob);
  if (after.error) {
    out.error = after.error;
    return out;
  }
  const ParsedConfig& before = d.old_blob.empty() ? kAbsent : blobs.Get(d.old_blob);
  const FlatParams& old_params = before.error ? LastParsed(walked, blobs, index, d.old_blob, ran_out) : before.params;
  out.changes = SelectedChanges(query, old_params, after.params);
  const WalkedCommit& commit = walked[index];
  if (!commit.other_parents.empty())
    std::erase_if(out.changes, [&](const ParamChange& c) { return FromOtherParent(c, out.path, commit, blobs); });
  return out;
}

}  // namespace

bool KeySelected(const ParamQuery& query, std::string_view key) {
  if (query.key_globs.empty() && query.exact_keys.empty()) return true;
  if (std::find(query.exact_keys.begin(), query.exact_keys.end(), key) != query.exact_keys.end()) return true;
  const std::string text(key);
  for (const std::string& glob : query.key_globs)
    if (fnmatch(glob.c_str(), text.c_str(), 0) == 0) return true;
  return false;
}

Result<ParamHistoryPart> ParamHistoryOfPart(const GitRepo& repo, const HistoryOptions& walk,
                                            const ParamQuery& query) {
  QuerySelector selector(query);
  SelectedFiles files(repo, selector);
  std::vector<WalkedCommit> walked;
  PathBlobs to_parse;
  bool renamed = false;
  GM_RETURN_IF_ERROR(WalkFileHistory(repo, walk, files, [&](const CommitMeta& commit, const std::vector<FileDelta>& deltas) -> Status {
    WalkedCommit w{commit, deltas, {}};
    for (const FileDelta& d : deltas) {
      if (!d.old_path.empty() && !d.new_path.empty() && d.old_path != d.new_path) renamed = true;
      to_parse.emplace_back(d.old_path, d.old_blob);
      to_parse.emplace_back(d.new_path, d.new_blob);
    }
    for (size_t p = 1; p < commit.parents.size() && !walk.first_parent; ++p) {
      GM_ASSIGN_OR_RETURN(CommitMeta parent, ReadCommitMeta(repo, commit.parents[p]));
      GM_ASSIGN_OR_RETURN(FileSet parent_files, files.FilesOfTree(parent.tree));
      for (const auto& [path, blob] : parent_files) to_parse.emplace_back(path, blob);
      w.other_parents.push_back(std::move(parent_files));
    }
    walked.push_back(std::move(w));
    return OkStatus();
  }));
  ConfigBlobs blobs(repo);
  GM_RETURN_IF_ERROR(blobs.ParseAll(to_parse));
  ParamHistoryPart out;
  bool ran_out = false;
  for (size_t i = 0; i < walked.size(); ++i) {
    ParamCommit commit{walked[i].commit, {}};
    for (const FileDelta& d : walked[i].deltas) {
      FileParamChanges changes = CompareDelta(walked, i, d, blobs, query, &ran_out);
      if (changes.error || !changes.changes.empty()) commit.files.push_back(std::move(changes));
    }
    if (!commit.files.empty()) out.commits.push_back(std::move(commit));
  }
  out.joinable = !renamed && !ran_out;
  return out;
}

Result<std::vector<ParamCommit>> ParamHistory(const GitRepo& repo, const HistoryOptions& walk,
                                              const ParamQuery& query) {
  GM_ASSIGN_OR_RETURN(ParamHistoryPart part, ParamHistoryOfPart(repo, walk, query));
  return std::move(part.commits);
}

void SelectParamChanges(const ParamQuery& query, std::vector<ParamCommit>& commits) {
  if (query.key_globs.empty() && query.exact_keys.empty()) return;
  for (ParamCommit& commit : commits) {
    for (FileParamChanges& file : commit.files)
      std::erase_if(file.changes, [&](const ParamChange& c) { return !KeySelected(query, c.key); });
    std::erase_if(commit.files, [](const FileParamChanges& f) { return !f.error && f.changes.empty(); });
  }
  std::erase_if(commits, [](const ParamCommit& c) { return c.files.empty(); });
}

Result<std::vector<FileParams>> ParamsAtRevision(const GitRepo& repo, std::string_view revision,
                                                 const ParamQuery& query) {
  QuerySelector selector(query);
  SelectedFiles files(repo, selector);
  GM_ASSIGN_OR_RETURN(std::string tree, TreeIdOf(repo, revision));
  GM_ASSIGN_OR_RETURN(FileSet selected, files.FilesOfTree(tree));
  ConfigBlobs blobs(repo);
  GM_RETURN_IF_ERROR(blobs.ParseAll(PathBlobs(selected.begin(), selected.end())));
  std::vector<FileParams> out;
  for (const auto& [path, blob] : selected) {
    const ParsedConfig& parsed = blobs.Get(blob);
    FileParams file{path, parsed.error, {}};
    for (const auto& [key, value] : parsed.params)
      if (KeySelected(query, key)) file.params.emplace(key, value);
    out.push_back(std::move(file));
  }
  return out;
}

Result<std::vector<FileParamChanges>> ParamsBetween(const GitRepo& repo, std::string_view from, std::string_view to,
                                                    const ParamQuery& query) {
  QuerySelector selector(query);
  SelectedFiles files(repo, selector);
  GM_ASSIGN_OR_RETURN(std::string from_tree, TreeIdOf(repo, from));
  GM_ASSIGN_OR_RETURN(std::string to_tree, TreeIdOf(repo, to));
  GM_ASSIGN_OR_RETURN(FileSet before, files.FilesOfTree(from_tree));
  GM_ASSIGN_OR_RETURN(FileSet after, files.FilesOfTree(to_tree));
  GM_ASSIGN_OR_RETURN(std::vector<FileDelta> deltas, files.Compare(from_tree, before, to_tree, after));
  ConfigBlobs blobs(repo);
  PathBlobs to_parse;
  for (const FileDelta& d : deltas) {
    to_parse.emplace_back(d.old_path, d.old_blob);
    to_parse.emplace_back(d.new_path, d.new_blob);
  }
  GM_RETURN_IF_ERROR(blobs.ParseAll(to_parse));
  const std::vector<WalkedCommit> walked = {WalkedCommit{{}, deltas, {}}};
  std::vector<FileParamChanges> out;
  for (const FileDelta& d : deltas) {
    FileParamChanges changes = CompareDelta(walked, 0, d, blobs, query, nullptr);
    if (changes.error || !changes.changes.empty()) out.push_back(std::move(changes));
  }
  return out;
}

}  // namespace gitmodel
