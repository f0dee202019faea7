// git-model git-diff PATH OLD-FILE OLD-HEX OLD-MODE NEW-FILE NEW-HEX NEW-MODE [NEW-PATH XFRM]:
// the external diff git runs (diff.git-model.command, GIT_EXTERNAL_DIFF). git stops the whole
// diff when this exits non-zero, so differences are exit 0; only errors are 2. GIT_EXTERNAL_DIFF
// runs it for every changed file: files that are not checkpoints get an ordinary text diff.
#include <cstdio>
#include <optional>

#include <fmt/core.h>

#include "cli/command.h"
#include "cli/diff_runner.h"
#include "cli/render.h"
#include "cli/verbatim_args.h"
#include "cli/driver_file.h"
#include "git/external_diff.h"
#include "inspect/summary.h"

namespace gitmodel::cli {
namespace {

// One side as git gives it: nullopt for /dev/null (an added or deleted file).
using GitSide = std::optional<DriverInput>;

Result<GitSide> OpenGitSide(const std::string& file) {
  if (file == kGitNoFile) return GitSide{};
  GM_ASSIGN_OR_RETURN(DriverInput input, OpenDriverFile(file));
  return GitSide{std::move(input)};
}

std::span<const std::byte> BytesOf(const GitSide& side) {
  return side ? side->file->bytes() : std::span<const std::byte>{};
}

// What `git diff` itself prints for a file that is not a checkpoint.
int PrintTextDiff(const ExternalDiffCall& call, const GitSide& old_side, const GitSide& new_side) {
  auto body = TextDiffBody(RealProcessRunner(), call, BytesOf(old_side), BytesOf(new_side));
  if (!body.ok()) {
    PrintError(body.status().message());
    return kExitError;
  }
  fmt::print("{}", GitDiffHeader(call));
  std::fwrite(body->text.data(), 1, body->text.size(), stdout);
  if (body->truncated)
    PrintError(fmt::format("the text diff of {} was cut at {} MiB", call.path, kTextDiffMaxOutput >> 20));
  return kExitOk;
}

// An added or deleted checkpoint: what it holds, not a comparison with nothing.
void DescribeOneSide(const Checkpoint& checkpoint, std::string_view verb) {
  Summary s = Summarize(checkpoint);
  fmt::print("{} checkpoint ({}): {}, {}\n", verb, FormatName(checkpoint.format()), CountOf(s.tensors, "tensor"),
             CountOf(s.parameters, "parameter"));
}

int RunGitDiff(const std::vector<std::string>& args) {
  auto call = ParseExternalDiffCall(args);
  if (!call.ok()) return PrintError(call.status().message()), kExitError;
  auto old_side = OpenGitSide(call->old_file);
  if (!old_side.ok()) return PrintError(old_side.status().message()), kExitError;
  auto new_side = OpenGitSide(call->new_file);
  if (!new_side.ok()) return PrintError(new_side.status().message()), kExitError;
  auto is_checkpoint = [](const GitSide& side) { return !side || side->checkpoint != nullptr; };
  if (!is_checkpoint(*old_side) || !is_checkpoint(*new_side) || (!*old_side && !*new_side))
    return PrintTextDiff(*call, *old_side, *new_side);

  fmt::print("diff --git-model a/{} b/{}\n{}", call->path, call->new_path, call->xfrm);  // xfrm: "similarity index..."
  if (!*old_side) return DescribeOneSide(*(*new_side)->checkpoint, "new"), kExitOk;
  if (!*new_side) return DescribeOneSide(*(*old_side)->checkpoint, "deleted"), kExitOk;
  old_side->reset();  // RunDiff opens both again; the probes only chose the kind of diff
  new_side->reset();
  std::fflush(stdout);
  return RunDiff(
      {.a = call->old_file, .b = call->new_file, .label_a = "a/" + call->path, .label_b = "b/" + call->new_path});
}

}  // namespace

void SetupGitDiff(CLI::App& sub, int* exit_code) {
  TakeArgumentsVerbatim(sub, "path old-file old-hex old-mode new-file new-hex new-mode [new-path xfrm-info]");
  sub.footer(
      "The arguments are taken as given, even when a path starts with '-'.\n"
      "Run by git, not by hand: `git model install --external` sets diff.git-model.command to this.\n"
      "Files that are not checkpoints get an ordinary unified text diff (GNU diff), as `git diff` prints it.");
  sub.callback([&sub, exit_code] { *exit_code = RunGitDiff(VerbatimArguments(sub)); });
}

}  // namespace gitmodel::cli
