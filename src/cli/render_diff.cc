#include "cli/render_diff.h"

#include <algorithm>
#include <cmath>
#include <functional>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "cli/render.h"
#include "cli/render_record.h"
#include "diff/diff_json.h"

namespace gitmodel::cli {
namespace {

using nlohmann::json;

std::string Num(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  return fmt::format("{:.4g}", v);
}

std::string Percent(double fraction) { return fmt::format("{:.1f}%", 100 * fraction); }

std::string ShapeText(const std::optional<TensorSide>& s) {
  return s ? fmt::format("[{}]", fmt::join(s->shape, ", ")) : "-";
}

std::string DTypeText(const TensorDiff& t) {
  if (t.a && t.b && t.a->dtype != t.b->dtype) return fmt::format("{} -> {}", Name(t.a->dtype), Name(t.b->dtype));
  return std::string(Name((t.b ? t.b : t.a)->dtype));
}

std::string ShapeColumn(const TensorDiff& t) {
  if (t.change == TensorChange::kShapeChanged) return ShapeText(t.a) + " -> " + ShapeText(t.b);
  return ShapeText(t.b ? t.b : t.a);
}

// The sort key of a tensor with statistics; structural changes sort first.
double SortKey(const TensorDiff& t, const std::string& sort) {
  if (!t.stats) return std::numeric_limits<double>::infinity();
  const double v = sort == "l2" ? t.stats->l2() : sort == "maxabs" ? t.stats->max_abs : t.stats->rel();
  return std::isnan(v) ? std::numeric_limits<double>::infinity() : v;
}

std::string SideLine(const char* marker, const std::string& label, const Checkpoint& ck, const CheckpointDiff& d,
                     bool is_a) {
  uint64_t tensors = 0;
  for (const TensorDiff& t : d.tensors) tensors += is_a ? t.a.has_value() : t.b.has_value();
  const uint64_t params = is_a ? d.summary.params_a : d.summary.params_b;
  return fmt::format("{} {}  ({}, {}, {} parameters)\n", marker, label, FormatName(ck.format()),
                     CountOf(tensors, "tensor"), Thousands(params));
}

std::string SummaryLine(const DiffSummary& s) {
  std::vector<std::string> parts;
  const std::pair<uint64_t, const char*> counts[] = {{s.changed, "changed"},       {s.identical, "identical"},
                                                     {s.added, "added"},           {s.removed, "removed"},
                                                     {s.shape_changed, "reshaped"}, {s.dtype_changed, "retyped"}};
  for (const auto& [n, word] : counts) {
    if (n > 0 || std::string_view(word) == "changed") parts.push_back(fmt::format("{} {}", Thousands(n), word));
  }
  std::string line = fmt::format("tensors       {}\n", fmt::join(parts, ", "));
  line += fmt::format("parameters    {} changed of {}", Thousands(s.params_changed), Thousands(s.params_b));
  if (s.params_a != s.params_b) {
    const int64_t delta = static_cast<int64_t>(s.params_b) - static_cast<int64_t>(s.params_a);
    line += fmt::format(" (was {}, {}{})", Thousands(s.params_a), delta > 0 ? "+" : "-",
                        Thousands(static_cast<uint64_t>(std::llabs(delta))));
  }
  line += "\n";
  if (!s.added_modules.empty()) line += fmt::format("modules added    {}\n", fmt::join(s.added_modules, ", "));
  if (!s.removed_modules.empty()) line += fmt::format("modules removed  {}\n", fmt::join(s.removed_modules, ", "));
  if (s.errors > 0) line += fmt::format("unreadable    {} (see the error column)\n", CountOf(s.errors, "tensor"));
  return line;
}

std::vector<std::string> TensorRow(const TensorDiff& t) {
  std::vector<std::string> row = {std::string(ChangeName(t.change)), t.name, ShapeColumn(t), DTypeText(t)};
  if (!t.stats) {
    row.insert(row.end(), {"-", "-", "-", "-", "-", "-", t.error.empty() ? "-" : "error: " + t.error});
    return row;
  }
  const DiffStats& s = *t.stats;
  row.insert(row.end(), {Num(s.rel()), Num(s.l2()), Num(s.max_abs), Num(s.mean_abs()), Num(s.cosine()),
                         Percent(s.frac_differ()), s.allclose() ? "yes" : "no"});
  return row;
}

std::string TensorTable(const DiffView& v, DiffSection section) {
  const auto changed = ChangedTensors(*v.diff, section, v.args->sort);
  if (changed.empty()) return "";
  const size_t shown = std::min(changed.size(), v.args->top);
  std::string out = fmt::format("\n{} tensors that changed, by {} ({} of {})\n", SectionName(section),
                                v.args->sort, shown, changed.size());
  std::vector<std::vector<std::string>> rows = {
      {"STATUS", "NAME", "SHAPE", "DTYPE", "REL", "L2", "MAX|D|", "MEAN|D|", "COSINE", "DIFFER", "CLOSE"}};
  for (size_t i = 0; i < shown; ++i) rows.push_back(TensorRow(*changed[i]));
  out += FormatTable(rows);
  return out;
}

std::string ModuleTable(const DiffView& v) {
  std::vector<std::vector<std::string>> rows = {{"SECTION", "MODULE", "TENSORS", "CHANGED", "PARAMS", "REL"}};
  for (const ModuleDiff& m : v.diff->modules) {
    if (m.changed == 0) continue;
    const std::string params = m.params_a == m.params_b ? Thousands(m.params_b)
                                                        : Thousands(m.params_a) + " -> " + Thousands(m.params_b);
    rows.push_back({std::string(SectionName(m.section)), m.name.empty() ? "(top level)" : m.name,
                    Thousands(m.tensors), Thousands(m.changed), params, m.compared ? Num(m.rel()) : "-"});
  }
  if (rows.size() == 1) return "";
  return fmt::format("\nmodules that changed (depth {})\n", v.args->module_depth) + FormatTable(rows);
}

std::string ChangeLine(const std::string& key, const std::optional<std::string>& a,
                       const std::optional<std::string>& b) {
  if (!a) return fmt::format("  + {}: {}\n", key, Safe(*b));
  if (!b) return fmt::format("  - {}: {}\n", key, Safe(*a));
  return fmt::format("    {}: {} -> {}\n", key, Safe(*a), Safe(*b));
}

std::string ContentText(const CheckpointDiff& d) {
  if (d.content.empty()) return "";
  std::string out = "\nother content\n";
  for (const ContentChange& c : d.content) out += ChangeLine(c.path.empty() ? "(root)" : c.path, c.a, c.b);
  return out;
}

std::string Short(const std::string& id) { return id.substr(0, 12); }

std::string CommitsText(const ProvenanceDiff& p) {
  if (p.commit_a.empty() && p.commit_b.empty()) return "";
  std::string out = fmt::format("  commit      {}{} -> {}{}\n", Short(p.commit_a), p.dirty_a ? " (dirty)" : "",
                                Short(p.commit_b), p.dirty_b ? " (dirty)" : "");
  if (p.range) {
    out += fmt::format("  between     {}", CountOf(p.range->total, "commit"));
    if (p.range->behind > 0) out += fmt::format(" ({} only in A)", Thousands(p.range->behind));
    out += "\n";
    for (const CommitLine& c : p.range->commits) out += fmt::format("                {} {}\n", c.id.substr(0, 10), Safe(c.subject));
    if (p.range->total > p.range->commits.size())
      out += fmt::format("                ... {} more\n", p.range->total - p.range->commits.size());
  } else if (!p.range_note.empty()) {
    out += fmt::format("  between     {}\n", p.range_note);
  }
  return out;
}

std::string ChangesBlock(const char* title, const std::vector<ContentChange>& changes) {
  if (changes.empty()) return "";
  std::string out = fmt::format("  {}\n", title);
  for (const ContentChange& c : changes) out += "  " + ChangeLine(c.path, c.a, c.b);
  return out;
}

std::string ProvenanceText(const DiffView& v) {
  if (!v.provenance) return v.provenance_note.empty() ? "" : fmt::format("\nprovenance    {}\n", v.provenance_note);
  const ProvenanceDiff& p = *v.provenance;
  std::string out = "\nprovenance\n" + CommitsText(p);
  out += ChangesBlock("hyperparameters", p.hyperparams);
  out += ChangesBlock("metrics", p.metrics);
  if (!p.env.empty()) {
    out += "  environment\n";
    for (const EnvDifference& e : p.env) out += fmt::format("      {}: {} -> {}\n", e.key, Safe(e.a), Safe(e.b));
  }
  out += ChangesBlock("data", p.data);
  if (out == "\nprovenance\n") out += "  the same commit, hyperparameters, metrics, environment and data\n";
  return out;
}

std::string Header(const DiffView& v) {
  return SideLine("---", v.args->label_a, *v.a, *v.diff, true) + SideLine("+++", v.args->label_b, *v.b, *v.diff, false);
}

std::string Bar(double fraction) {
  constexpr int kWidth = 30;
  const int n = std::isfinite(fraction) ? std::clamp(static_cast<int>(std::ceil(fraction * kWidth)), 1, kWidth) : kWidth;
  return std::string(static_cast<size_t>(n), '+');
}

}  // namespace

std::vector<const TensorDiff*> ChangedTensors(const CheckpointDiff& diff, DiffSection section, const std::string& sort) {
  std::vector<const TensorDiff*> out;
  for (const TensorDiff& t : diff.tensors) {
    if (t.section == section && t.change != TensorChange::kIdentical) out.push_back(&t);
  }
  if (sort == "name") {
    std::stable_sort(out.begin(), out.end(), [](auto* x, auto* y) { return x->name < y->name; });
  } else {
    std::stable_sort(out.begin(), out.end(), [&](auto* x, auto* y) { return SortKey(*x, sort) > SortKey(*y, sort); });
  }
  return out;
}

std::string DiffText(const DiffView& v) {
  std::string out = Header(v) + SummaryLine(v.diff->summary);
  const DiffArgs& args = *v.args;
  out += fmt::format("tolerance     atol {}, rtol {}: {}\n", Num(args.atol), Num(args.rtol),
                     v.diff->Differs() ? "differences beyond tolerance" : "all within tolerance");
  out += TensorTable(v, DiffSection::kModel);
  out += TensorTable(v, DiffSection::kOptimizer);
  out += ModuleTable(v);
  out += ContentText(*v.diff);
  out += ProvenanceText(v);
  return out;
}

std::string DiffStatText(const DiffView& v) {
  std::vector<const TensorDiff*> all = ChangedTensors(*v.diff, DiffSection::kModel, v.args->sort);
  const auto optimizer = ChangedTensors(*v.diff, DiffSection::kOptimizer, v.args->sort);
  all.insert(all.end(), optimizer.begin(), optimizer.end());
  double max_rel = 0;
  for (const TensorDiff* t : all) {
    if (t->stats && std::isfinite(t->stats->rel())) max_rel = std::max(max_rel, t->stats->rel());
  }
  std::vector<std::vector<std::string>> rows;
  for (size_t i = 0; i < all.size() && i < v.args->top; ++i) {
    const TensorDiff& t = *all[i];
    if (!t.stats) {
      rows.push_back({" " + t.name, "|", std::string(ChangeName(t.change))});
      continue;
    }
    const double rel = t.stats->rel();
    rows.push_back({" " + t.name, "|", fmt::format("rel {:<9} {}", Num(rel), max_rel > 0 ? Bar(rel / max_rel) : "")});
  }
  std::string out = FormatTable(rows);
  if (all.size() > v.args->top) out += fmt::format(" ... {} more\n", all.size() - v.args->top);
  const DiffSummary& s = v.diff->summary;
  out += fmt::format(" {} changed, {} added, {} removed, {} identical; {} of {} parameters changed\n",
                     CountOf(s.changed + s.shape_changed + s.dtype_changed, "tensor"), Thousands(s.added),
                     Thousands(s.removed), Thousands(s.identical), Thousands(s.params_changed), Thousands(s.params_b));
  return out;
}

json DiffJson(const DiffView& v) {
  const DiffArgs& args = *v.args;
  auto side = [](const std::string& label, const Checkpoint& ck, uint64_t params) {
    return json{{"label", label}, {"format", FormatName(ck.format())}, {"tensors", ck.tensors().size()},
                {"parameters", params}};
  };
  json j = {{"schema", kDiffSchema},
            {"a", side(args.label_a, *v.a, v.diff->summary.params_a)},
            {"b", side(args.label_b, *v.b, v.diff->summary.params_b)},
            {"tolerance", {{"atol", args.atol}, {"rtol", args.rtol}}},
            {"differs", v.diff->Differs()},
            {"summary", SummaryToJson(v.diff->summary)}};
  json tensors = json::array();
  if (args.top_given) {
    for (DiffSection section : {DiffSection::kModel, DiffSection::kOptimizer}) {
      const auto changed = ChangedTensors(*v.diff, section, args.sort);
      for (size_t i = 0; i < changed.size() && i < args.top; ++i) tensors.push_back(TensorDiffToJson(*changed[i]));
    }
  } else {
    for (const TensorDiff& t : v.diff->tensors) tensors.push_back(TensorDiffToJson(t));
  }
  j["tensors"] = std::move(tensors);
  j["modules"] = json::array();
  for (const ModuleDiff& m : v.diff->modules) j["modules"].push_back(ModuleDiffToJson(m));
  j["content"] = json::array();
  for (const ContentChange& c : v.diff->content) j["content"].push_back(ContentChangeToJson(c));
  j["provenance"] = v.provenance ? ProvenanceDiffToJson(*v.provenance) : json(nullptr);
  if (!v.provenance_note.empty()) j["provenance_note"] = v.provenance_note;
  return j;
}

}  // namespace gitmodel::cli
