#include "cli/render_record.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "cli/render.h"
#include "formats/node_text.h"

namespace gitmodel::cli {
namespace {

std::string GpuText(const EnvInfo& env) {
  std::vector<std::string> names;
  for (const GpuInfo& g : env.gpus) {
    names.push_back(g.memory_bytes ? fmt::format("{} ({})", Safe(g.name), HumanBytes(g.memory_bytes)) : Safe(g.name));
  }
  return fmt::format("{}", fmt::join(names, ", "));
}

std::string ContainerText(const ContainerInfo& c) {
  std::vector<std::string> parts;
  if (!c.runtime.empty()) parts.push_back(Safe(c.runtime));
  if (!c.image.empty()) parts.push_back("image " + Safe(c.image));
  if (!c.image_digest.empty()) parts.push_back(Safe(c.image_digest));
  if (!c.id.empty()) parts.push_back("id " + Safe(c.id.substr(0, 12)));
  return fmt::format("{}", fmt::join(parts, ", "));
}

void AddIf(Rows& rows, const char* label, const std::string& value) {
  if (!value.empty()) rows.emplace_back(label, value);
}

}  // namespace

std::string Safe(std::string_view text) { return ValidUtf8(text, true); }

std::string LabelledLines(const Rows& rows, size_t indent) {
  size_t width = 0;
  for (const auto& [label, value] : rows) width = std::max(width, label.size());
  std::string out;
  for (const auto& [label, value] : rows) {
    out += fmt::format("{}{:<{}}  {}\n", std::string(indent, ' '), label, width, value);
  }
  return out;
}

Rows EnvRows(const EnvInfo& env) {
  Rows rows;
  AddIf(rows, "os", Safe(env.os));
  AddIf(rows, "kernel", Safe(env.kernel + (env.arch.empty() ? "" : " " + env.arch)));
  if (!env.cpu.empty() || env.cpu_cores) rows.emplace_back("cpu", fmt::format("{} ({} cores)", Safe(env.cpu), env.cpu_cores));
  if (env.memory_bytes) rows.emplace_back("memory", HumanBytes(env.memory_bytes));
  AddIf(rows, "hostname", Safe(env.hostname));
  AddIf(rows, "gpus", GpuText(env));
  AddIf(rows, "driver", Safe(env.driver));
  AddIf(rows, "cuda", Safe(env.cuda));
  AddIf(rows, "cuda toolkit", Safe(env.cuda_toolkit));
  AddIf(rows, "cudnn", Safe(env.cudnn));
  AddIf(rows, "python", Safe(env.python));
  if (!env.torch.empty()) {
    rows.emplace_back("torch", Safe(env.torch) + (env.torch_cuda.empty() ? "" : " (CUDA " + Safe(env.torch_cuda) + ")") +
                                   (env.torch_source.empty() ? "" : ", from the " + Safe(env.torch_source)));
  }
  AddIf(rows, "container", ContainerText(env.container));
  return rows;
}

Rows GitRows(const GitSection& g, const std::string& file) {
  Rows rows;
  if (!g.in_repo) return {{"commit", "none: stamped outside a git repository"}};
  std::string where = g.detached ? "detached HEAD" : "branch " + Safe(g.branch);
  if (g.commit_overridden) where += ", set with --commit-id";
  rows.emplace_back("commit", fmt::format("{} ({})", g.commit.empty() ? "(no commits yet)" : Safe(g.commit), where));
  AddIf(rows, "describe", Safe(g.describe));
  AddIf(rows, "remote", Safe(g.remote));
  if (g.shallow) rows.emplace_back("shallow", "yes (history may be incomplete)");
  if (!g.dirty) {
    rows.emplace_back("dirty", "no");
    return rows;
  }
  rows.emplace_back("dirty", fmt::format("yes: {} changed, {} untracked", g.changed.size(), g.untracked.size()));
  for (const std::string& path : g.changed) rows.emplace_back("", "  M " + Safe(path));
  for (const std::string& path : g.untracked) rows.emplace_back("", "  ? " + Safe(path));
  if (g.patch) {
    rows.emplace_back("patch", fmt::format("{} ({}), sha256 {}: git model show --patch {}", HumanBytes(g.patch->bytes),
                                           g.patch->stored ? "in the object store" : "inline", Safe(g.patch->sha256), file));
  }
  return rows;
}

std::string HyperparamLines(const FlatParams& params, const std::map<std::string, std::string>& sources,
                            size_t indent) {
  Rows rows;
  for (const auto& [key, value] : params) {
    auto it = sources.find(key);
    std::string from = it == sources.end() ? "" : "   (" + Safe(it->second) + ")";
    rows.emplace_back(Safe(key), "= " + Safe(ParamValueText(value)) + from);
  }
  return LabelledLines(rows, indent);
}

std::string RecordText(const ProvenanceRecord& r, const std::string& file) {
  const ArtifactInfo& a = r.artifact;
  Rows rows = {{"created", fmt::format("{} by {}", Safe(r.created), Safe(r.tool))}};
  Rows git = GitRows(r.git, file);
  rows.insert(rows.end(), git.begin(), git.end());
  rows.emplace_back("weights", fmt::format("{}, {}, {}", Safe(a.format), CountOf(a.tensors, "tensor"),
                                           CountOf(a.parameters, "parameter")));
  rows.emplace_back("fingerprint", Safe(a.fingerprint));
  for (const ConfigFileInfo& c : r.config) {
    rows.emplace_back("config", fmt::format("{} ({}, blob {})", Safe(c.path), Safe(c.format), Safe(c.blob.substr(0, 12))));
  }
  for (const DataDigest& d : r.data) {
    rows.emplace_back("data", fmt::format("{}: {} files, {}, tree {}", Safe(d.path), Thousands(d.files),
                                          HumanBytes(d.bytes), Safe(d.tree_hash)));
  }
  for (const auto& [name, value] : r.metrics) rows.emplace_back("metric", fmt::format("{} = {}", Safe(name), value));
  if (r.run) rows.emplace_back("run", fmt::format("{} {}", Safe(r.run->id), Safe(r.run->command)));
  std::string out = LabelledLines(rows);
  if (!r.hyperparams.empty()) out += "  hyperparams\n" + HyperparamLines(r.hyperparams, r.hyperparam_sources);
  Rows env = EnvRows(r.env);
  if (!env.empty()) out += "  environment\n" + LabelledLines(env, 4);
  return out;
}

std::string MetadataText(const CheckpointMetadata& meta) {
  Rows rows;
  if (meta.git.present) {
    std::string dirty = meta.git.dirty ? (*meta.git.dirty ? ", dirty" : ", clean") : "";
    std::string branch = meta.git.branch.empty() ? "" : ", branch " + Safe(meta.git.branch);
    rows.emplace_back("git", Safe(meta.git.commit) + branch + dirty);
  }
  AddIf(rows, "torch", Safe(meta.torch_version));
  if (meta.cuda_available) rows.emplace_back("cuda", *meta.cuda_available ? "available" : "not available");
  for (const auto& [key, value] : meta.training) rows.emplace_back(Safe(key), Safe(ParamValueText(value)));
  std::string out = LabelledLines(rows, 4);
  if (!meta.hyperparams.empty()) {
    out += fmt::format("    hyperparams (from '{}')\n", Safe(meta.hyperparams_source)) + HyperparamLines(meta.hyperparams, {}, 6);
  }
  return out;
}

}  // namespace gitmodel::cli
