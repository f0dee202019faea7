// The small behaviours of the diff result types declared in gitmodel/diff.h.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>

#include "gitmodel/diff.h"

namespace gitmodel {
namespace {

// ||B - A|| / ||A||, with the two degenerate cases spelled out.
double RelativeChange(double l2, double norm_a) {
  if (norm_a > 0) return l2 / norm_a;
  if (l2 == 0) return 0;
  return std::isnan(l2) || std::isnan(norm_a) ? std::numeric_limits<double>::quiet_NaN()
                                              : std::numeric_limits<double>::infinity();
}

}  // namespace

std::string_view ChangeName(TensorChange change) {
  switch (change) {
    case TensorChange::kIdentical: return "identical";
    case TensorChange::kChanged: return "changed";
    case TensorChange::kDTypeChanged: return "dtype-changed";
    case TensorChange::kShapeChanged: return "shape-changed";
    case TensorChange::kAdded: return "added";
    case TensorChange::kRemoved: return "removed";
  }
  return "?";
}

std::string_view SectionName(DiffSection section) {
  return section == DiffSection::kOptimizer ? "optimizer" : "model";
}

DiffSection SectionOf(std::string_view tensor_name) {
  std::string first(tensor_name.substr(0, tensor_name.find('.')));
  std::transform(first.begin(), first.end(), first.begin(), [](unsigned char c) { return std::tolower(c); });
  return first.find("optim") != std::string::npos ? DiffSection::kOptimizer : DiffSection::kModel;
}

double DiffStats::l2() const { return std::sqrt(sq_diff); }
double DiffStats::norm_a() const { return std::sqrt(sq_a); }
double DiffStats::norm_b() const { return std::sqrt(sq_b); }
double DiffStats::rel() const { return RelativeChange(l2(), norm_a()); }

double DiffStats::mean_abs() const { return numel == 0 ? 0 : sum_abs / static_cast<double>(numel); }

double DiffStats::cosine() const {
  const double denominator = norm_a() * norm_b();
  return denominator > 0 ? dot / denominator : std::numeric_limits<double>::quiet_NaN();
}

double DiffStats::frac_differ() const {
  return numel == 0 ? 0 : static_cast<double>(differ) / static_cast<double>(numel);
}

void DiffStats::Merge(const DiffStats& o) {
  numel += o.numel;
  differ += o.differ;
  not_close += o.not_close;
  sq_diff += o.sq_diff;
  sq_a += o.sq_a;
  sq_b += o.sq_b;
  dot += o.dot;
  // NaN wins, as in torch's max.
  max_abs = std::isnan(max_abs) || std::isnan(o.max_abs) ? std::numeric_limits<double>::quiet_NaN()
                                                         : std::max(max_abs, o.max_abs);
  sum_abs += o.sum_abs;
}

bool TensorDiff::Differs() const {
  switch (change) {
    case TensorChange::kIdentical: return false;
    case TensorChange::kChanged: return !stats || !stats->allclose();
    default: return true;  // added, removed, reshaped or retyped
  }
}

double ModuleDiff::rel() const {
  return compared == 0 ? std::numeric_limits<double>::quiet_NaN() : RelativeChange(std::sqrt(sq_diff), std::sqrt(sq_a));
}

bool CheckpointDiff::Differs() const {
  return !content.empty() || std::any_of(tensors.begin(), tensors.end(), [](const TensorDiff& t) { return t.Differs(); });
}

}  // namespace gitmodel
