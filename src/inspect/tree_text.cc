#include "inspect/tree_text.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include <fmt/ranges.h>

#include "formats/checkpoint_impl.h"
#include "formats/node_text.h"

namespace gitmodel {
namespace {

bool IsContainer(const Node* n) {
  switch (n->kind) {
    case NodeKind::kList: case NodeKind::kTuple: case NodeKind::kSet: case NodeKind::kDict: case NodeKind::kObject:
      return true;
    default:
      return false;
  }
}

std::string Child(const std::string& path, std::string_view part) {
  return path.empty() ? std::string(part) : path + "." + std::string(part);
}

// "[0.9, 0.999]" for a short sequence of scalars; empty when it is not one.
std::string InlineSequence(const Node* n) {
  if ((n->kind != NodeKind::kList && n->kind != NodeKind::kTuple) || n->items.size() > 8) return "";
  std::vector<std::string> parts;
  for (const Node* item : n->items) {
    if (IsContainer(item) || item->kind == NodeKind::kTensor) return "";
    parts.push_back(ShortRepr(item, 24));
  }
  bool tuple = n->kind == NodeKind::kTuple;
  return fmt::format("{}{}{}", tuple ? "(" : "[", fmt::join(parts, ", "), tuple ? ")" : "]");
}

class ValueCollector {
 public:
  ValueCollector(size_t limit) : limit_(limit) {}

  void Walk(const Node* n, const std::string& path, int depth) {
    if (!n || n->kind == NodeKind::kTensor || depth > kMaxTreeDepth) return;
    if (!IsContainer(n)) return Emit(path, ShortRepr(n));
    if (std::string seq = InlineSequence(n); !seq.empty()) return Emit(path, seq);
    if (!visited_.insert(n).second) return;
    if (n->kind == NodeKind::kObject) Emit(path, n->class_name);
    for (auto [k, v] : n->entries) Walk(v, Child(path, KeyText(k)), depth + 1);
    for (size_t i = 0; i < n->items.size(); ++i) Walk(n->items[i], Child(path, std::to_string(i)), depth + 1);
    if (n->kind == NodeKind::kObject) {
      if (n->state) Walk(n->state, path, depth + 1);
      else if (n->args && !n->args->items.empty()) Walk(n->args, Child(path, "args"), depth + 1);
    }
  }

  std::vector<ValueLine> lines;
  size_t total = 0;

 private:
  void Emit(const std::string& path, std::string value) {
    if (++total <= limit_) lines.push_back({path.empty() ? "(root)" : path, std::move(value)});
  }
  size_t limit_;
  std::unordered_set<const Node*> visited_;
};

class TreePrinter {
 public:
  TreePrinter(const std::vector<TensorRef>& tensors, size_t limit) : tensors_(tensors), limit_(limit) {}

  void Walk(const Node* n, const std::string& label, const std::string& path, int depth) {
    if (!n) return;
    std::string indent(static_cast<size_t>(std::min(depth, 40)) * 2, ' ');
    if (depth > kMaxTreeDepth) return Emit(indent + label + ": ...");
    if (n->kind == NodeKind::kTensor) return Emit(indent + label + ": " + TensorText(n));
    if (!IsContainer(n)) return Emit(indent + label + ": " + ShortRepr(n));
    auto [it, first] = seen_.try_emplace(n, path);
    if (!first) return Emit(fmt::format("{}{}: -> {}", indent, label, it->second.empty() ? "(root)" : it->second));
    Emit(indent + label + ": " + ShortRepr(n));
    for (auto [k, v] : n->entries) {
      std::string key = KeyText(k);
      Walk(v, ValidUtf8(key), Child(path, key), depth + 1);
    }
    for (size_t i = 0; i < n->items.size(); ++i) Walk(n->items[i], std::to_string(i), Child(path, std::to_string(i)), depth + 1);
    if (n->kind == NodeKind::kObject && n->args && !n->args->items.empty()) Walk(n->args, "(args)", Child(path, "args"), depth + 1);
    if (n->state) Walk(n->state, n->kind == NodeKind::kObject ? "(state)" : "(attributes)", path, depth + 1);
  }

  std::vector<std::string> lines;
  size_t total = 0;

 private:
  std::string TensorText(const Node* n) const {
    const TensorRef& t = tensors_[static_cast<size_t>(n->int_value)];
    return fmt::format("tensor {} [{}]", Name(t.dtype), fmt::join(t.shape, ", "));
  }
  void Emit(std::string line) {
    if (++total <= limit_) lines.push_back(std::move(line));
  }
  const std::vector<TensorRef>& tensors_;
  size_t limit_;
  std::unordered_map<const Node*, std::string> seen_;
};

}  // namespace

std::vector<ValueLine> NonTensorValues(const Node* root, size_t limit, size_t* total) {
  ValueCollector c(SIZE_MAX);
  c.Walk(root, "", 0);
  if (total) *total = c.total;
  auto depth = [](const ValueLine& v) { return std::count(v.path.begin(), v.path.end(), '.'); };
  std::stable_sort(c.lines.begin(), c.lines.end(), [&](const ValueLine& a, const ValueLine& b) { return depth(a) < depth(b); });
  if (c.lines.size() > limit) c.lines.resize(limit);
  return std::move(c.lines);
}

std::vector<std::string> TreeLines(const Node* root, const std::vector<TensorRef>& tensors, size_t limit,
                                   size_t* total) {
  TreePrinter p(tensors, limit);
  p.Walk(root, "(root)", "", 0);
  if (total) *total = p.total;
  return std::move(p.lines);
}

}  // namespace gitmodel
