#include "inspect/summary.h"

#include <set>
#include <tuple>
#include <unordered_map>

namespace gitmodel {
namespace {

// Two TensorRefs with the same key show the same elements (tied weights, a state_dict shared
// between model and EMA...).
using TensorKey = std::tuple<int, const std::byte*, int64_t, std::vector<int64_t>, std::vector<int64_t>, DType>;

TensorKey KeyOf(const TensorRef& t) {
  return {t.file_index, t.storage.data(), t.storage_offset, t.shape, t.strides, t.dtype};
}

std::string GroupOf(const std::string& name) {
  size_t dot = name.find('.');
  return dot == std::string::npos ? "" : name.substr(0, dot);
}

// Groups in first-appearance order; `index` finds them by name (a hostile file may hold
// 100,000 top-level names, so no linear search).
TensorGroup& GroupFor(std::vector<TensorGroup>& groups, std::unordered_map<std::string, size_t>& index,
                      const std::string& name) {
  auto [it, fresh] = index.try_emplace(name, groups.size());
  if (fresh) groups.push_back({name});
  return groups[it->second];
}

}  // namespace

Summary Summarize(const Checkpoint& checkpoint) {
  Summary s;
  std::set<TensorKey> seen;
  std::unordered_map<std::string, size_t> group_index;
  for (const TensorRef& t : checkpoint.tensors()) {
    ++s.tensors;
    uint64_t numel = t.numel(), bytes = t.nbytes();
    DTypeTotals& d = s.by_dtype[std::string(Name(t.dtype))];
    ++d.tensors;
    d.bytes += bytes;
    TensorGroup& g = GroupFor(s.groups, group_index, GroupOf(t.name));
    ++g.tensors;
    g.parameters += numel;
    g.bytes += bytes;
    if (t.has_storage && !seen.insert(KeyOf(t)).second) {
      ++s.shared;
      continue;
    }
    s.parameters += numel;
    s.bytes += bytes;
  }
  // A single group of top-level names says nothing: drop it.
  if (s.groups.size() <= 1) s.groups.clear();
  return s;
}

}  // namespace gitmodel
