// One pass over two maps ordered by the same key: the walk behind every "what was added, removed
// or changed" comparison of key/value maps (content trees, hyperparameters).
#pragma once

namespace gitmodel {

// Calls only_a(key, value_a) for keys of `a` missing from `b`, only_b(key, value_b) for keys of
// `b` missing from `a`, and both(key, value_a, value_b) for keys in both, in key order. `a` and
// `b` are sorted associative containers (std::map) with the same key type and comparison.
template <typename Map, typename OnlyA, typename OnlyB, typename Both>
void MergeByKey(const Map& a, const Map& b, OnlyA&& only_a, OnlyB&& only_b, Both&& both) {
  const auto less = a.key_comp();
  auto ia = a.begin();
  auto ib = b.begin();
  while (ia != a.end() || ib != b.end()) {
    if (ib == b.end() || (ia != a.end() && less(ia->first, ib->first))) {
      only_a(ia->first, ia->second);
      ++ia;
    } else if (ia == a.end() || less(ib->first, ia->first)) {
      only_b(ib->first, ib->second);
      ++ib;
    } else {
      both(ia->first, ia->second, ib->second);
      ++ia;
      ++ib;
    }
  }
}

}  // namespace gitmodel
