#include "report/report_architecture.h"

#include <algorithm>
#include <set>

#include <fmt/core.h>

#include "git/revision_file.h"
#include "gitmodel/checkpoint.h"
#include "gitmodel/dtype.h"
#include "store/pointer_expand.h"

namespace gitmodel {
namespace {

std::string ShapeText(const TensorRef& t) {
  std::string dims;
  for (int64_t d : t.shape) dims += (dims.empty() ? "" : ", ") + std::to_string(d);
  return fmt::format("{}[{}]", Name(t.dtype), dims);
}

std::string ModuleOf(const std::string& tensor) {
  const size_t dot = tensor.rfind('.');
  return dot == std::string::npos ? "(top level)" : tensor.substr(0, dot);
}

std::set<std::string> ModulesOf(const CheckpointLayout& layout) {
  std::set<std::string> modules;
  for (const auto& [name, shape] : layout.tensors) modules.insert(ModuleOf(name));
  return modules;
}

std::vector<std::string> Minus(const std::set<std::string>& a, const std::set<std::string>& b) {
  std::vector<std::string> out;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

}  // namespace

bool IsCheckpointPath(std::string_view path) {
  for (std::string_view ext : {".pt", ".pth", ".ckpt", ".safetensors", ".pt2"}) {
    if (path.ends_with(ext)) return true;
  }
  return false;
}

Result<CheckpointLayout> LayoutAt(const GitRepo& repo, const std::string& commit, const std::string& path) {
  const std::string workdir = WorkdirOf(repo);
  GM_ASSIGN_OR_RETURN(RevisionFile file, MaterializeRevisionFile(RevisionPath{commit, path, 0}, workdir));
  GM_ASSIGN_OR_RETURN(std::optional<ExpandedFile> expanded, ExpandPointerFile(file.path(), workdir.empty() ? "." : workdir));
  GM_ASSIGN_OR_RETURN(std::unique_ptr<Checkpoint> checkpoint, Checkpoint::Open(expanded ? expanded->path() : file.path()));
  CheckpointLayout layout;
  for (const TensorRef& t : checkpoint->tensors()) {
    layout.tensors.emplace(t.name, ShapeText(t));
    layout.parameters += t.numel();
  }
  return layout;
}

void CompareLayouts(const std::optional<CheckpointLayout>& before, const CheckpointLayout& after, ArchitectureChange& out) {
  out.tensors_after = after.tensors.size();
  out.parameters_after = after.parameters;
  if (!before) {
    out.previous_commit.clear();
    const std::set<std::string> modules = ModulesOf(after);
    out.modules_added.assign(modules.begin(), modules.end());
    return;
  }
  out.tensors_before = before->tensors.size();
  out.parameters_before = before->parameters;
  const std::set<std::string> old_modules = ModulesOf(*before), new_modules = ModulesOf(after);
  out.modules_added = Minus(new_modules, old_modules);
  out.modules_removed = Minus(old_modules, new_modules);
  for (const auto& [name, shape] : after.tensors) {
    auto it = before->tensors.find(name);
    if (it != before->tensors.end() && it->second != shape) out.tensors_reshaped.push_back(name);
  }
}

bool ArchitectureChanged(const ArchitectureChange& c) {
  return c.error || c.previous_commit.empty() || !c.modules_added.empty() || !c.modules_removed.empty() ||
         !c.tensors_reshaped.empty() || c.parameters_before != c.parameters_after;
}

}  // namespace gitmodel
