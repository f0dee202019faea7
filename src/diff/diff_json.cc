#include "diff/diff_json.h"

#include <cmath>

namespace gitmodel {
namespace {

using nlohmann::json;

// NaN and infinities have no JSON spelling: null says "not a number" plainly.
json Number(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

json SideToJson(const std::optional<TensorSide>& side) {
  if (!side) return nullptr;
  return {{"dtype", Name(side->dtype)}, {"shape", side->shape}, {"numel", side->numel}};
}

json StatsToJson(const DiffStats& s) {
  return {{"numel", s.numel},          {"differ", s.differ},           {"frac_differ", Number(s.frac_differ())},
          {"l2", Number(s.l2())},      {"rel", Number(s.rel())},       {"max_abs", Number(s.max_abs)},
          {"mean_abs", Number(s.mean_abs())}, {"cosine", Number(s.cosine())}, {"norm_a", Number(s.norm_a())},
          {"norm_b", Number(s.norm_b())},     {"not_close", s.not_close},     {"allclose", s.allclose()}};
}

json OptionalText(const std::optional<std::string>& v) { return v ? json(*v) : json(nullptr); }

}  // namespace

json TensorDiffToJson(const TensorDiff& t) {
  json j = {{"name", t.name}, {"section", SectionName(t.section)}, {"status", ChangeName(t.change)},
            {"a", SideToJson(t.a)}, {"b", SideToJson(t.b)}, {"differs", t.Differs()}};
  j["stats"] = t.stats ? StatsToJson(*t.stats) : json(nullptr);
  if (!t.error.empty()) j["error"] = t.error;
  return j;
}

json ModuleDiffToJson(const ModuleDiff& m) {
  return {{"name", m.name},         {"section", SectionName(m.section)}, {"tensors", m.tensors},
          {"changed", m.changed},   {"added", m.added},                  {"removed", m.removed},
          {"params_a", m.params_a}, {"params_b", m.params_b},            {"compared", m.compared},
          {"l2", Number(std::sqrt(m.sq_diff))},
          {"rel", Number(m.rel())}};
}

json SummaryToJson(const DiffSummary& s) {
  return {{"identical", s.identical},
          {"changed", s.changed},
          {"dtype_changed", s.dtype_changed},
          {"shape_changed", s.shape_changed},
          {"added", s.added},
          {"removed", s.removed},
          {"errors", s.errors},
          {"params_changed", s.params_changed},
          {"params_a", s.params_a},
          {"params_b", s.params_b},
          {"added_modules", s.added_modules},
          {"removed_modules", s.removed_modules}};
}

json ContentChangeToJson(const ContentChange& c) {
  return {{"path", c.path}, {"a", OptionalText(c.a)}, {"b", OptionalText(c.b)}};
}

}  // namespace gitmodel
