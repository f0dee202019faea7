// PrepareStamp: the parts of a record shared by every file one `stamp` command writes.
#include <filesystem>
#include <set>

#include "base/atomic_file.h"
#include "base/sha256.h"
#include "formats/node_text.h"
#include "git/blob_id.h"
#include "git/git_state.h"
#include "git/repo.h"
#include "hyperparams/config_readers.h"
#include "hyperparams/param_override.h"
#include "provenance/drift.h"
#include "provenance/stamp.h"
#include "store/object_store.h"

namespace gitmodel {
namespace {

void Progress(const StampOptions& options, std::string_view stage) {
  if (options.progress) options.progress(stage);
}

Result<PatchInfo> SavePatch(const std::string& patch, const StampOptions& options, const std::string& git_model_dir) {
  PatchInfo info;
  auto bytes = std::as_bytes(std::span(patch.data(), patch.size()));
  info.sha256 = ToHex(Sha256Of(bytes));
  info.bytes = patch.size();
  if (patch.size() <= options.inline_patch_limit && ValidUtf8(patch, false) == patch) {
    info.text = patch;
    return info;
  }
  GM_ASSIGN_OR_RETURN(std::string id, ObjectStore(git_model_dir).Put(bytes));
  (void)id;  // equals info.sha256: the store names objects by the SHA-256 of their bytes
  info.stored = true;
  return info;
}

// The artifacts and their sidecars, relative to the repository root.
std::set<std::string> ArtifactPaths(const StampOptions& options) {
  auto repo = DiscoverRepo(options.workdir);
  if (!repo.ok() || !repo->has_value()) return {};
  std::string root = WorkdirOf(**repo);
  std::set<std::string> out;
  for (const std::string& path : options.artifacts) {
    out.insert(RepoRelativePath(path, root));
    out.insert(RepoRelativePath(SidecarPath(path), root));
  }
  return out;
}

Status CaptureGit(const StampOptions& options, StampContext* context) {
  Progress(options, "capturing git state");
  GitCaptureOptions capture;
  capture.commit_override = options.commit_id;
  capture.exclude_paths = ArtifactPaths(options);
  GM_ASSIGN_OR_RETURN(GitState state, CaptureGitState(options.workdir, capture));
  GitSection& g = context->base.git;
  g = {state.in_repo, state.commit, state.branch, state.detached, state.shallow, state.commit_overridden,
       state.describe, state.dirty, state.remote, state.changed, state.untracked, std::nullopt};
  if (!state.in_repo) return OkStatus();
  GM_ASSIGN_OR_RETURN(auto repo, DiscoverRepo(options.workdir));
  context->git_model_dir = repo ? GitModelDir(*repo) : "";
  context->repo_root = state.workdir;
  if (!state.patch.empty()) {
    Progress(options, "saving the uncommitted changes");
    GM_ASSIGN_OR_RETURN(g.patch, SavePatch(state.patch, options, context->git_model_dir));
  }
  return OkStatus();
}

Status ReadConfigs(const StampOptions& options, StampContext* context) {
  ProvenanceRecord& r = context->base;
  for (const std::string& path : options.config_files) {
    GM_ASSIGN_OR_RETURN(ConfigFormat format, ConfigFormatForPath(path));
    GM_ASSIGN_OR_RETURN(std::string bytes, ReadSmallFile(path, kMaxConfigBytes));
    GM_ASSIGN_OR_RETURN(FlatParams params, ParseConfigText(format, bytes, path));
    auto view = std::as_bytes(std::span(bytes.data(), bytes.size()));
    std::string shown = RepoRelativePath(path, context->repo_root);
    r.config.push_back({shown, std::string(ConfigFormatName(format)), GitBlobId(view), ToHex(Sha256Of(view))});
    for (auto& [key, value] : params) {
      r.hyperparams[key] = std::move(value);
      r.hyperparam_sources[key] = "config:" + shown;
    }
  }
  for (const std::string& assignment : options.params) {
    GM_ASSIGN_OR_RETURN(auto param, ParseParamAssignment(assignment));
    r.hyperparams[param.first] = std::move(param.second);
    r.hyperparam_sources[param.first] = "param";
  }
  for (const std::string& assignment : options.metrics) {
    GM_ASSIGN_OR_RETURN(auto metric, ParseMetricAssignment(assignment));
    r.metrics[metric.first] = metric.second;
  }
  return OkStatus();
}

Status HashDataPaths(const StampOptions& options, StampContext* context) {
  for (const std::string& path : options.data_paths) {
    Progress(options, "hashing data " + path);
    GM_ASSIGN_OR_RETURN(DataDigest digest, HashData(path, {.cache_path = DataCachePathFor(context->git_model_dir)}));
    digest.path = RepoRelativePath(path, context->repo_root);
    context->base.data.push_back(std::move(digest));
  }
  return OkStatus();
}

}  // namespace

std::string RepoRelativePath(const std::string& path, const std::string& repo_root) {
  if (repo_root.empty()) return path;
  std::error_code ec;
  auto absolute = std::filesystem::weakly_canonical(std::filesystem::absolute(path), ec);
  auto relative = absolute.lexically_relative(std::filesystem::weakly_canonical(repo_root, ec));
  if (ec || relative.empty() || *relative.begin() == "..") return path;
  return relative.generic_string();
}

std::string NowRfc3339() {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

Result<StampContext> PrepareStamp(const StampOptions& options) {
  StampContext context;
  ProvenanceRecord& r = context.base;
  r.created = options.created.empty() ? NowRfc3339() : options.created;
  r.tool = std::string("git-model ") + GITMODEL_VERSION_STRING;
  GM_RETURN_IF_ERROR(CaptureGit(options, &context));
  GM_RETURN_IF_ERROR(ReadConfigs(options, &context));
  GM_RETURN_IF_ERROR(HashDataPaths(options, &context));
  Progress(options, "probing the environment");
  r.env = CaptureEnv({.probe_python = options.probe_python});
  return context;
}

}  // namespace gitmodel
