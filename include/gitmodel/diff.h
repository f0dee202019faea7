// Checkpoint diff: two checkpoints compared tensor by tensor, module by module, and in their
// non-tensor content.
//
// Tensors are matched by name. Elementwise statistics are of B - A with every value decoded
// exactly (half, bfloat16, float8 included) and accumulated in double precision, streaming over
// the mapped files: no tensor is ever loaded whole, and pages already compared are handed back to
// the kernel so resident memory stays small whatever the file size. Work is spread over all cores,
// within large tensors too.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gitmodel/checkpoint.h"
#include "gitmodel/dtype.h"
#include "gitmodel/status.h"

namespace gitmodel {

enum class TensorChange : uint8_t {
  kIdentical,     // same dtype, shape and logical bytes
  kChanged,       // same dtype and shape, some bytes differ
  kDTypeChanged,  // same shape, other dtype (values are still compared)
  kShapeChanged,  // other shape (no elementwise statistics)
  kAdded,         // only in B
  kRemoved,       // only in A
};
std::string_view ChangeName(TensorChange change);  // "identical", "changed", "dtype-changed"...

// Tensors of the optimizer (first name component containing "optim": `optimizer.state.0.exp_avg`,
// Lightning's `optimizer_states.0...`) are reported apart from the model's.
enum class DiffSection : uint8_t { kModel, kOptimizer };
std::string_view SectionName(DiffSection section);  // "model", "optimizer"
DiffSection SectionOf(std::string_view tensor_name);

struct DiffTolerance {
  double atol = 1e-8;  // torch.allclose defaults
  double rtol = 1e-5;
};

// Statistics of D = B - A over the elements of two same-shaped tensors, as torch computes them in
// float64: NaN propagates into the sums exactly as it does there.
struct DiffStats {
  uint64_t numel = 0;      // values compared (a float4_e2m1fn_x2 element holds two)
  uint64_t differ = 0;     // values where a != b (NaN != NaN, -0 == +0, as torch's `!=`)
  uint64_t not_close = 0;  // values failing isclose(b, a): a == b or |b - a| <= atol + rtol * |a|
  double sq_diff = 0;      // sum (b - a)^2
  double sq_a = 0;         // sum a^2
  double sq_b = 0;         // sum b^2
  double dot = 0;          // sum a * b
  double max_abs = 0;      // max |b - a| (0 for empty tensors)
  double sum_abs = 0;      // sum |b - a|

  double l2() const;           // ||B - A||
  double norm_a() const;       // ||A||
  double norm_b() const;       // ||B||
  double rel() const;          // l2 / norm_a; 0 when both are 0, +inf when only norm_a is
  double mean_abs() const;     // sum_abs / numel; 0 for empty tensors
  double cosine() const;       // dot / (norm_a * norm_b); NaN when either norm is 0
  double frac_differ() const;  // differ / numel; 0 for empty tensors
  bool allclose() const { return not_close == 0; }
  void Merge(const DiffStats& other);  // statistics of the concatenation
};

struct TensorSide {
  DType dtype = DType::kFloat32;
  std::vector<int64_t> shape;
  uint64_t numel = 0;
};

struct TensorDiff {
  std::string name;
  DiffSection section = DiffSection::kModel;
  TensorChange change = TensorChange::kIdentical;
  std::optional<TensorSide> a, b;  // absent for added (a) / removed (b) tensors
  std::optional<DiffStats> stats;  // both sides present with equal shapes, and readable
  std::string error;               // why stats are missing although shapes match (meta tensor...)

  // True when this tensor is a difference beyond tolerance: added, removed, reshaped, retyped,
  // unreadable, or some value not close.
  bool Differs() const;
};

// Tensors grouped by name prefix: the module path (name without its last component) cut to
// `module_depth` components. "" is the top level.
struct ModuleDiff {
  std::string name;
  DiffSection section = DiffSection::kModel;
  uint64_t tensors = 0, changed = 0, added = 0, removed = 0;  // changed: any status but identical
  uint64_t params_a = 0, params_b = 0;                        // elements on each side
  uint64_t compared = 0;                                      // tensors with statistics
  double sq_diff = 0, sq_a = 0;                               // over those tensors
  double rel() const;  // as DiffStats::rel; NaN when no tensor was compared
};

// A value of the non-tensor content (dotted key path, JSON text) on each side.
struct ContentChange {
  std::string path;
  std::optional<std::string> a, b;  // absent: the key exists on one side only
};

struct DiffSummary {
  uint64_t identical = 0, changed = 0, dtype_changed = 0, shape_changed = 0, added = 0, removed = 0;
  uint64_t errors = 0;                  // tensors whose bytes could not be compared
  uint64_t params_changed = 0;          // elements of model tensors with any status but identical
  uint64_t params_a = 0, params_b = 0;  // model tensors' elements on each side
  std::vector<std::string> added_modules, removed_modules;  // model modules present on one side only
};

struct DiffOptions {
  DiffTolerance tolerance;
  int module_depth = 2;
  unsigned threads = 0;                         // 0: hardware concurrency
  uint64_t split_bytes = uint64_t{16} << 20;    // contiguous tensors larger than this are split...
  uint64_t piece_bytes = uint64_t{4} << 20;     // ...into ranges of about this many bytes each
};

struct CheckpointDiff {
  std::vector<TensorDiff> tensors;   // A's order, then B's added tensors in B's order
  std::vector<ModuleDiff> modules;   // by section, then name
  std::vector<ContentChange> content;  // sorted by path
  DiffSummary summary;

  // Anything beyond tolerance: a differing tensor or any content change.
  bool Differs() const;
};

// Compares `a` (old) with `b` (new). Errors only for what makes the comparison meaningless (two
// tensors of one checkpoint with the same name); unreadable tensors are reported per tensor.
Result<CheckpointDiff> DiffCheckpoints(const Checkpoint& a, const Checkpoint& b, const DiffOptions& options = {});

}  // namespace gitmodel
