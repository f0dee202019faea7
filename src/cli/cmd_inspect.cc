// git model inspect FILE... [--tensors] [--tree] [--stats] [--hashes] [--json]
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "cli/command.h"
#include "cli/render.h"
#include "formats/node_text.h"
#include "inspect/inspect.h"
#include "inspect/tree_text.h"

namespace gitmodel::cli {
namespace {

struct InspectArgs {
  std::vector<std::string> files;
  bool tensors = false, tree = false, stats = false, hashes = false, json = false;
  size_t limit = 40;
};

// Long values (a provenance record in safetensors metadata) are cut; --json has them whole.
std::string ShortDetail(const std::string& value) {
  constexpr size_t kMaxShown = 80;
  if (value.size() <= kMaxShown) return value;
  return fmt::format("{}... ({})", ValidUtf8(value.substr(0, kMaxShown - 20)), HumanBytes(value.size()));
}

std::string DetailsLine(const Checkpoint& ck) {
  std::vector<std::string> parts;
  for (const FormatDetail& d : ck.details()) parts.push_back(d.key + " " + ShortDetail(d.value));
  return parts.empty() ? "" : fmt::format(" ({})", fmt::join(parts, ", "));
}

std::string SummaryText(const Checkpoint& ck, const Summary& s, size_t limit) {
  std::string out = fmt::format("{}\n  format      {}{}\n", ck.path(), FormatName(ck.format()), DetailsLine(ck));
  out += fmt::format("  tensors     {} ({} parameters, {}{})\n", Thousands(s.tensors), Thousands(s.parameters),
                     HumanBytes(s.bytes), s.shared ? fmt::format("; {} share data with another", s.shared) : "");
  std::vector<std::string> dtypes;
  for (const auto& [name, d] : s.by_dtype) dtypes.push_back(fmt::format("{} {} ({})", name, d.tensors, HumanBytes(d.bytes)));
  if (!dtypes.empty()) out += fmt::format("  dtypes      {}\n", fmt::join(dtypes, ", "));
  for (size_t i = 0; i < s.groups.size() && i < limit; ++i) {
    const TensorGroup& g = s.groups[i];
    out += fmt::format("  {:<10}  {}: {} tensors, {} parameters\n", i == 0 ? "groups" : "", g.name.empty() ? "(top level)" : g.name,
                       Thousands(g.tensors), Thousands(g.parameters));
  }
  if (s.groups.size() > limit) out += fmt::format("              ... {} more groups\n", s.groups.size() - limit);
  size_t total = 0;
  auto values = NonTensorValues(ck.root(), limit, &total);
  if (!values.empty()) out += "  values\n";
  for (const ValueLine& v : values) out += fmt::format("    {}: {}\n", v.path, v.value);
  if (total > values.size()) out += fmt::format("    ... {} more (see --tree)\n", total - values.size());
  for (const std::string& note : ck.notes()) out += fmt::format("  note        {}\n", note);
  return out;
}

std::string TensorTable(const Checkpoint& ck, const InspectReport& report, const InspectArgs& args) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> header = {"NAME", "DTYPE", "SHAPE", "STRIDES", "OFFSET", "BYTES"};
  if (args.hashes) header.push_back("SHA256");
  if (args.stats) header.insert(header.end(), {"MIN", "MAX", "MEAN", "STD", "NAN", "INF"});
  rows.push_back(header);
  const auto& tensors = ck.tensors();
  for (size_t i = 0; i < tensors.size(); ++i) {
    const TensorRef& t = tensors[i];
    std::vector<std::string> row = {t.name, std::string(Name(t.dtype)), fmt::format("[{}]", fmt::join(t.shape, ", ")),
                                    fmt::format("[{}]", fmt::join(t.strides, ", ")), std::to_string(t.storage_offset),
                                    Thousands(t.nbytes())};
    const TensorExtras* e = report.extras.empty() ? nullptr : &report.extras[i];
    if (args.hashes) row.push_back(e && e->sha256 ? *e->sha256 : "-");
    if (args.stats && e && e->stats) {
      const TensorStats& st = *e->stats;
      for (double v : {st.min, st.max, st.mean, st.std}) row.push_back(fmt::format("{:.6g}", v));
      row.push_back(std::to_string(st.nan));
      row.push_back(std::to_string(st.inf));
    } else if (args.stats) {
      row.insert(row.end(), {"-", "-", "-", "-", "-", "-"});
    }
    rows.push_back(std::move(row));
  }
  return FormatTable(rows);
}

int InspectOne(const std::string& path, const InspectArgs& args) {
  auto ck = Checkpoint::Open(path);
  if (!ck.ok()) {
    PrintError(ck.status().message());
    return kExitError;
  }
  InspectReport report = Inspect(**ck, {.hashes = args.hashes, .stats = args.stats});
  if (args.json) {
    fmt::print("{}\n", JsonLine(InspectJson(**ck, report)));
    return kExitOk;
  }
  fmt::print("{}", SummaryText(**ck, report.summary, args.limit));
  if (report.fingerprint) fmt::print("  fingerprint {}\n", *report.fingerprint);
  if (args.tensors || args.hashes || args.stats) fmt::print("\n{}", TensorTable(**ck, report, args));
  if (args.tree) {
    size_t total = 0;
    auto lines = TreeLines((*ck)->root(), (*ck)->tensors(), SIZE_MAX, &total);
    fmt::print("\n{}\n", fmt::join(lines, "\n"));
  }
  return kExitOk;
}

}  // namespace

void SetupInspect(CLI::App& sub, int* exit_code) {
  auto args = std::make_shared<InspectArgs>();
  sub.add_option("files", args->files, "Checkpoint files (.pt .pth .bin .ckpt .jit .pt2 .safetensors *.index.json)")
      ->required();
  sub.add_flag("--tensors", args->tensors, "List every tensor: name, dtype, shape, strides, offset, bytes");
  sub.add_flag("--tree", args->tree, "Show the whole object tree");
  sub.add_flag("--stats", args->stats, "Per-tensor min/max/mean/std and NaN/Inf counts (reads all data, all cores)");
  sub.add_flag("--hashes", args->hashes, "Per-tensor SHA-256 of the logical contiguous little-endian bytes, and the weights fingerprint");
  sub.add_flag("--json", args->json, "One JSON document per file per line (schema: docs/inspect.md)");
  sub.add_option("--limit", args->limit, "Most values and groups shown in the summary")->capture_default_str();
  sub.callback([args, exit_code] {
    for (const std::string& f : args->files)
      if (InspectOne(f, *args) != kExitOk) *exit_code = kExitError;
  });
}

}  // namespace gitmodel::cli
