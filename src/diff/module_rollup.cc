#include "diff/module_rollup.h"

#include <map>
#include <set>
#include <utility>

namespace gitmodel {
namespace {

// Every proper prefix of `name` at a '.' boundary: "a.b.c" -> "a", "a.b".
void AddAncestors(std::string_view name, std::set<std::string>& out) {
  for (size_t dot = name.find('.'); dot != std::string_view::npos; dot = name.find('.', dot + 1)) {
    out.emplace(name.substr(0, dot));
  }
}

std::string_view Parent(std::string_view module) {
  const size_t dot = module.rfind('.');
  return dot == std::string_view::npos ? std::string_view() : module.substr(0, dot);
}

// Modules of `mine` absent from `other` whose parent is present there (or is the top level).
std::vector<std::string> TopmostMissing(const std::set<std::string>& mine, const std::set<std::string>& other) {
  std::vector<std::string> out;
  for (const std::string& m : mine) {
    const std::string_view parent = Parent(m);
    if (!other.contains(m) && (parent.empty() || other.contains(std::string(parent)))) out.push_back(m);
  }
  return out;
}

void CountChange(const TensorDiff& t, DiffSummary& s) {
  switch (t.change) {
    case TensorChange::kIdentical: ++s.identical; break;
    case TensorChange::kChanged: ++s.changed; break;
    case TensorChange::kDTypeChanged: ++s.dtype_changed; break;
    case TensorChange::kShapeChanged: ++s.shape_changed; break;
    case TensorChange::kAdded: ++s.added; break;
    case TensorChange::kRemoved: ++s.removed; break;
  }
  if (!t.error.empty()) ++s.errors;
}

}  // namespace

std::string ModuleKey(std::string_view tensor_name, int depth) {
  if (depth <= 0) return "";
  const std::string_view module = Parent(tensor_name);
  size_t cut = module.find('.');  // the end of the first component
  for (int d = 1; d < depth && cut != std::string_view::npos; ++d) cut = module.find('.', cut + 1);
  return std::string(module.substr(0, cut));
}

std::vector<ModuleDiff> RollUpModules(const std::vector<TensorDiff>& tensors, int depth) {
  std::map<std::pair<DiffSection, std::string>, ModuleDiff> modules;
  for (const TensorDiff& t : tensors) {
    const auto key = std::pair(t.section, ModuleKey(t.name, depth));
    ModuleDiff& m = modules[key];
    m.name = key.second;
    m.section = t.section;
    ++m.tensors;
    if (t.change != TensorChange::kIdentical) ++m.changed;
    if (t.change == TensorChange::kAdded) ++m.added;
    if (t.change == TensorChange::kRemoved) ++m.removed;
    if (t.a) m.params_a += t.a->numel;
    if (t.b) m.params_b += t.b->numel;
    if (t.stats) {
      ++m.compared;
      m.sq_diff += t.stats->sq_diff;
      m.sq_a += t.stats->sq_a;
    }
  }
  std::vector<ModuleDiff> out;
  for (auto& [key, m] : modules) out.push_back(std::move(m));
  return out;
}

DiffSummary Summarise(const std::vector<TensorDiff>& tensors) {
  DiffSummary s;
  std::set<std::string> modules_a, modules_b;
  for (const TensorDiff& t : tensors) {
    CountChange(t, s);
    if (t.section != DiffSection::kModel) continue;
    if (t.a) s.params_a += t.a->numel;
    if (t.b) s.params_b += t.b->numel;
    if (t.change != TensorChange::kIdentical) s.params_changed += t.b ? t.b->numel : t.a->numel;
    if (t.a) AddAncestors(t.name, modules_a);
    if (t.b) AddAncestors(t.name, modules_b);
  }
  s.added_modules = TopmostMissing(modules_b, modules_a);
  s.removed_modules = TopmostMissing(modules_a, modules_b);
  return s;
}

}  // namespace gitmodel
