// git model scan FILE... [--json] [--allow module.Name]...: a static security scan of every pickle
// the files hold (src/scan/, docs/scan.md). Nothing is unpickled.
//
// Text: per file a header line ("path: format, N pickles"), one line per finding
// ("  critical  member@offset  message"), then one summary line. --json: one JSON document per
// file per line (JSON Lines): {"path", "format", "pickles", "critical": bool, "findings":
// [{"severity", "member", "offset" (null when the finding is about a whole member), "import",
// "message"}]}, or {"path", "error"} for a file that cannot be read.
// --allow module.Name (repeatable) treats that class as data: it silences `unknown class` and
// standard-library classes outside the allowlist, never the code-running list (os, eval, ...).
// Exit: 2 when a file cannot be read, else 1 when anything critical is found, else 0.
#include <fmt/core.h>

#include <memory>

#include "cli/command.h"
#include "cli/render.h"
#include "scan/file_scan.h"

namespace gitmodel::cli {
namespace {

struct ScanArgs {
  std::vector<std::string> files;
  std::vector<std::string> allow;
  bool json = false;
};

// Untrusted names (zip members, pickle strings) on one printable line.
std::string Printable(std::string_view s) {
  std::string out;
  for (unsigned char c : s) out += (c < 0x20 || c == 0x7f) ? fmt::format("\\x{:02x}", c) : std::string(1, static_cast<char>(c));
  return out;
}

std::string Where(const Finding& f) {
  std::string where = f.member.empty() ? "" : Printable(f.member);
  if (f.has_offset) where += fmt::format("@{}", f.offset);
  return where.empty() ? "-" : where;
}

nlohmann::json ReportJson(const FileReport& r) {
  nlohmann::json findings = nlohmann::json::array();
  for (const Finding& f : r.findings) {
    findings.push_back({{"severity", SeverityName(f.severity)}, {"member", f.member},
                        {"offset", f.has_offset ? nlohmann::json(f.offset) : nlohmann::json(nullptr)},
                        {"import", f.import}, {"message", f.message}});
  }
  return {{"path", r.path}, {"format", r.format}, {"pickles", r.pickles}, {"critical", r.HasCritical()},
          {"findings", std::move(findings)}};
}

void PrintReport(const FileReport& r) {
  fmt::print("{}: {}, {}\n", Printable(r.path), r.format, CountOf(r.pickles, "pickle"));
  std::vector<std::vector<std::string>> rows;
  for (const Finding& f : r.findings)
    rows.push_back({"  " + std::string(SeverityName(f.severity)), Where(f), Printable(f.message)});
  if (!rows.empty()) fmt::print("{}", FormatTable(rows));
}

int RunScan(const ScanArgs& args) {
  ImportPolicy policy;
  for (const std::string& name : args.allow) policy.Allow(name);
  FileScanOptions options;
  options.policy = &policy;
  size_t critical_files = 0, unknown = 0, unreadable = 0;
  for (const std::string& path : args.files) {
    auto report = ScanFile(path, options);
    if (!report.ok()) {
      ++unreadable;
      if (args.json) fmt::print("{}\n", JsonLine({{"path", path}, {"error", report.status().message()}}));
      else PrintError(report.status().message());
      continue;
    }
    critical_files += report->HasCritical();
    for (const Finding& f : report->findings) unknown += f.severity == Severity::kUnknown;
    if (args.json) fmt::print("{}\n", JsonLine(ReportJson(*report)));
    else PrintReport(*report);
  }
  if (!args.json && unreadable < args.files.size())  // an error alone leaves stdout empty
    fmt::print("{} scanned: {} with critical findings, {} unknown-class findings{}\n", CountOf(args.files.size(), "file"),
               critical_files, unknown, unreadable ? fmt::format(", {} unreadable", unreadable) : "");
  if (unreadable) return kExitError;
  return critical_files ? kExitNegative : kExitOk;
}

}  // namespace

void SetupScan(CLI::App& sub, int* exit_code) {
  auto args = std::make_shared<ScanArgs>();
  sub.add_option("files", args->files, "Files to scan (.pt .pth .bin .ckpt .pkl .jit .pt2 .npy .npz, any zip)")->required();
  sub.add_flag("--json", args->json, "One JSON document per file per line");
  sub.add_option("--allow", args->allow, "Treat this class (module.Name) as data; repeatable. Never allows code-running names")
      ->allow_extra_args(false);
  sub.callback([args, exit_code] { *exit_code = RunScan(*args); });
}

}  // namespace gitmodel::cli
