// git model params [KEY-GLOB...] [--file F]... [REV-RANGE] [--first-parent] [--json] [--no-cache]
// git model params --at REV [KEY-GLOB...]      git model params diff REV1 REV2 [KEY-GLOB...]
#include <fmt/core.h>

#include "cli/command.h"
#include "cli/params_context.h"
#include "cli/render.h"
#include "cli/render_params.h"
#include "hyperparams/param_history.h"
#include "hyperparams/param_history_cache.h"

namespace gitmodel::cli {
namespace {

struct ParamsArgs {
  std::vector<std::string> positional;
  std::vector<std::string> files;
  std::string at;
  bool first_parent = false;
  bool json = false;
  bool no_cache = false;
};

int Fail(const Status& status) {
  PrintError(status.message());
  return kExitError;
}

Result<std::vector<ParamCommit>> History(const ParamsContext& context, const HistoryOptions& walk, bool no_cache) {
  if (no_cache) return ParamHistory(context.repo, walk, context.query);
  GM_ASSIGN_OR_RETURN(CachedHistory cached,
                      CachedParamHistory(context.repo, walk, context.query, ParamCacheDir(context.repo)));
  return std::move(cached.commits);
}

int RunHistory(const ParamsContext& context, const HistoryOptions& walk, bool json, bool no_cache) {
  auto commits = History(context, walk, no_cache);
  if (!commits.ok()) return Fail(commits.status());
  if (json) {
    nlohmann::json out = nlohmann::json::array();
    for (const ParamCommit& c : *commits) {
      nlohmann::json commit = CommitJson(c.commit);
      commit["files"] = FileChangesJson(c.files);
      out.push_back(std::move(commit));
    }
    fmt::print("{}\n", JsonLine({{"range", walk.range}, {"commits", out}}));
    return kExitOk;
  }
  for (size_t i = 0; i < commits->size(); ++i) {
    const ParamCommit& c = (*commits)[i];
    fmt::print("{}{}\n{}", i ? "\n" : "", CommitHeadline(c.commit), FileChangesText(c.files, 4));
  }
  return kExitOk;
}

int RunAt(const ParamsContext& context, const std::string& revision, bool json) {
  auto files = ParamsAtRevision(context.repo, revision, context.query);
  if (!files.ok()) return Fail(files.status());
  if (json) {
    nlohmann::json out = nlohmann::json::array();
    for (const FileParams& f : *files) {
      nlohmann::json file = {{"path", f.path}, {"params", nlohmann::json::object()}};
      if (f.error) file["error"] = *f.error;
      for (const auto& [key, value] : f.params) file["params"][key] = value;
      out.push_back(std::move(file));
    }
    fmt::print("{}\n", JsonLine({{"revision", revision}, {"files", out}}));
    return kExitOk;
  }
  for (const FileParams& f : *files) {
    if (!f.error && f.params.empty() && !context.query.key_globs.empty()) continue;  // no selected key there
    fmt::print("{}\n", f.error ? "error: " + *f.error : f.path);
    std::vector<std::vector<std::string>> rows;
    for (const auto& [key, value] : f.params) rows.push_back({"  " + key, ParamValueText(value)});
    fmt::print("{}", FormatTable(rows));
  }
  return kExitOk;
}

int RunDiff(const ParamsContext& context, const std::string& from, const std::string& to, bool json) {
  auto files = ParamsBetween(context.repo, from, to, context.query);
  if (!files.ok()) return Fail(files.status());
  if (json) fmt::print("{}\n", JsonLine({{"from", from}, {"to", to}, {"files", FileChangesJson(*files)}}));
  else fmt::print("{}", FileChangesText(*files, 0));
  return kExitOk;
}

int RunParams(const ParamsArgs& args) {
  std::vector<std::string> rest = args.positional;
  const bool diff = !rest.empty() && rest[0] == "diff" && args.at.empty();
  if (diff) {
    if (rest.size() < 3) return Fail(InvalidArgument("params diff needs two revisions: params diff REV1 REV2"));
    std::vector<std::string> keys(rest.begin() + 3, rest.end());
    auto context = OpenParamsContext(args.files, keys);
    if (!context.ok()) return Fail(context.status());
    return RunDiff(*context, rest[1], rest[2], args.json);
  }
  auto context = OpenParamsContext(args.files, {});
  if (!context.ok()) return Fail(context.status());
  HistoryOptions walk{.range = "HEAD", .first_parent = args.first_parent};
  bool have_range = false;
  for (const std::string& arg : rest) {
    if (args.at.empty() && LooksLikeRevision(context->repo, arg)) {
      if (have_range) return Fail(InvalidArgument("more than one revision range: '{}' and '{}'", walk.range, arg));
      walk.range = arg;
      have_range = true;
    } else {
      context->query.key_globs.push_back(arg);
    }
  }
  if (!args.at.empty()) return RunAt(*context, args.at, args.json);
  return RunHistory(*context, walk, args.json, args.no_cache);
}

}  // namespace

void SetupParams(CLI::App& sub, int* exit_code) {
  auto args = std::make_shared<ParamsArgs>();
  sub.add_option("args", args->positional,
                 "Key globs (optimizer.*, '*lr*') and at most one revision or range (v1..HEAD); "
                 "or: diff REV1 REV2 [KEY-GLOB...]");
  sub.add_option("--file", args->files, "Only this config file (repeatable); default: .git-model.toml's globs")
      ->allow_extra_args(false);
  sub.add_option("--at", args->at, "List the values at this revision instead of the history");
  sub.add_flag("--first-parent", args->first_parent, "Follow only first parents (merges show all they bring)");
  sub.add_flag("--json", args->json, "One JSON document");
  sub.add_flag("--no-cache", args->no_cache, "Walk the history without reading or writing .git/git-model/params-cache");
  sub.callback([args, exit_code] { *exit_code = RunParams(*args); });
}

}  // namespace gitmodel::cli
