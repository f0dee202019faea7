// DiffCheckpoints: matching tensors by name, then the elementwise pass, roll-ups and content.
#include <unordered_map>

#include "diff/content_tree.h"
#include "diff/module_rollup.h"
#include "diff/tensor_pairs.h"
#include "gitmodel/diff.h"

namespace gitmodel {
namespace {

Result<std::unordered_map<std::string_view, const TensorRef*>> ByName(const Checkpoint& ck) {
  std::unordered_map<std::string_view, const TensorRef*> out;
  for (const TensorRef& t : ck.tensors()) {
    if (!out.emplace(t.name, &t).second) return InvalidArgument("{}: two tensors are named '{}'", ck.path(), t.name);
  }
  return out;
}

TensorSide SideOf(const TensorRef& t) { return {t.dtype, t.shape, t.numel()}; }

TensorDiff Unpaired(const TensorRef& t, TensorChange change) {
  TensorDiff d;
  d.name = t.name;
  d.section = SectionOf(t.name);
  d.change = change;
  (change == TensorChange::kAdded ? d.b : d.a) = SideOf(t);
  return d;
}

// Sets the status of a same-shaped pair from its elementwise result.
void Settle(TensorDiff& d, PairResult&& r) {
  const bool retyped = d.a->dtype != d.b->dtype;
  if (!r.stats.ok()) {
    d.error = r.stats.status().message();
    d.change = retyped ? TensorChange::kDTypeChanged : TensorChange::kChanged;
    return;
  }
  d.stats = *r.stats;
  d.change = retyped ? TensorChange::kDTypeChanged : r.bytes_equal ? TensorChange::kIdentical : TensorChange::kChanged;
}

}  // namespace

Result<CheckpointDiff> DiffCheckpoints(const Checkpoint& a, const Checkpoint& b, const DiffOptions& options) {
  GM_ASSIGN_OR_RETURN(auto a_by_name, ByName(a));
  GM_ASSIGN_OR_RETURN(auto b_by_name, ByName(b));
  CheckpointDiff out;
  std::vector<TensorPair> pairs;
  std::vector<size_t> pair_slots;  // index into out.tensors of pairs[i]
  for (const TensorRef& ta : a.tensors()) {
    auto it = b_by_name.find(ta.name);
    if (it == b_by_name.end()) {
      out.tensors.push_back(Unpaired(ta, TensorChange::kRemoved));
      continue;
    }
    const TensorRef& tb = *it->second;
    TensorDiff d;
    d.name = ta.name;
    d.section = SectionOf(ta.name);
    d.a = SideOf(ta);
    d.b = SideOf(tb);
    if (ta.shape != tb.shape) {
      d.change = TensorChange::kShapeChanged;
    } else {
      pairs.push_back({&ta, &tb});
      pair_slots.push_back(out.tensors.size());
    }
    out.tensors.push_back(std::move(d));
  }
  for (const TensorRef& tb : b.tensors()) {
    if (!a_by_name.contains(tb.name)) out.tensors.push_back(Unpaired(tb, TensorChange::kAdded));
  }
  std::vector<PairResult> results = ComparePairs(a, b, pairs, options);
  for (size_t i = 0; i < results.size(); ++i) Settle(out.tensors[pair_slots[i]], std::move(results[i]));
  out.modules = RollUpModules(out.tensors, options.module_depth);
  out.summary = Summarise(out.tensors);
  out.content = DiffContent(FlattenContent(a), FlattenContent(b));
  return out;
}

}  // namespace gitmodel
