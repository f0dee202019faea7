#include "cli/diff_runner.h"

#include <unistd.h>

#include <fmt/core.h>

#include "cli/command.h"
#include "cli/render.h"
#include "cli/render_diff.h"
#include "git/revision_file.h"
#include "provenance/embed.h"
#include "store/pointer_expand.h"

namespace gitmodel::cli {
namespace {

// One side of the comparison: the checkpoint, and the temporary file a REV:PATH needs.
struct Side {
  FileArgument file;
  std::optional<ExpandedFile> expanded;  // when the file is a git-model pointer
  std::unique_ptr<Checkpoint> checkpoint;
  const std::string& path() const { return expanded ? expanded->path() : file.path; }
};

Result<Side> OpenSide(const std::string& arg) {
  Side side;
  GM_ASSIGN_OR_RETURN(side.file, ResolveFileArgument(arg));
  GM_ASSIGN_OR_RETURN(side.expanded, ExpandPointerFile(side.file.path));
  GM_ASSIGN_OR_RETURN(side.checkpoint, Checkpoint::Open(side.path()));
  return side;
}

// The record embedded in the file or in its sidecar; nullopt when there is none. Index lookups
// (FindRecord) are not made: they would hash both files' weights a second time. A record that
// cannot be read only costs the provenance section: `problem` says why.
std::optional<ProvenanceRecord> RecordOf(const Side& side, const std::string& label, std::string& problem) {
  auto embedded = ReadEmbeddedRecord(side.path());
  if (embedded.ok() && embedded->location == RecordLocation::kNone) return std::nullopt;
  auto record = embedded.ok() ? ParseRecord(embedded->json) : Result<ProvenanceRecord>(embedded.status());
  if (record.ok()) return std::move(*record);
  problem = fmt::format("the record of {} is unreadable: {}", label, record.status().message());
  return std::nullopt;
}

std::string CurrentDirectory() {
  char buffer[4096];
  return ::getcwd(buffer, sizeof buffer) ? std::string(buffer) : ".";
}

DiffOptions LibraryOptions(const DiffArgs& args) {
  DiffOptions options;
  options.tolerance = {args.atol, args.rtol};
  options.module_depth = args.module_depth;
  return options;
}

}  // namespace

int RunDiff(const DiffArgs& input) {
  DiffArgs args = input;
  if (args.label_a.empty()) args.label_a = args.a;
  if (args.label_b.empty()) args.label_b = args.b;
  auto a = OpenSide(args.a);
  if (!a.ok()) return PrintError(a.status().message()), kExitError;
  auto b = OpenSide(args.b);
  if (!b.ok()) return PrintError(b.status().message()), kExitError;
  auto diff = DiffCheckpoints(*a->checkpoint, *b->checkpoint, LibraryOptions(args));
  if (!diff.ok()) return PrintError(diff.status().message()), kExitError;

  DiffView view{&args, a->checkpoint.get(), b->checkpoint.get(), &*diff, nullptr, ""};
  std::string problem_a, problem_b;
  const auto record_a = RecordOf(*a, args.label_a, problem_a);
  const auto record_b = RecordOf(*b, args.label_b, problem_b);
  std::optional<ProvenanceDiff> provenance;
  if (record_a && record_b) {
    provenance = DiffProvenance(*record_a, *record_b, {CurrentDirectory(), 20});
    view.provenance = &*provenance;
  } else if (!problem_a.empty() || !problem_b.empty()) {
    view.provenance_note = problem_a.empty() ? problem_b : problem_a;
  } else if (record_a || record_b) {
    view.provenance_note = fmt::format("only {} carries a provenance record", record_a ? args.label_a : args.label_b);
  }

  if (args.json) {
    fmt::print("{}\n", JsonLine(DiffJson(view)));
  } else {
    fmt::print("{}", args.stat ? DiffStatText(view) : DiffText(view));
  }
  return args.exit_code && diff->Differs() ? kExitNegative : kExitOk;
}

}  // namespace gitmodel::cli
