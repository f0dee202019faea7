// git model textconv FILE: the text git's line diff shows for a checkpoint (diff.<driver>.textconv).
// git stops `git log -p` when this fails, so a file that is not a checkpoint gets a one-line
// description (exit 0); only a file that cannot be read at all, or wrong arguments, exit 2.
#include <fmt/core.h>

#include "cli/command.h"
#include "cli/render.h"
#include "cli/verbatim_args.h"
#include "cli/driver_file.h"
#include "inspect/textconv_text.h"

namespace gitmodel::cli {
namespace {

int Textconv(const std::vector<std::string>& args) {
  if (args.size() != 1) {
    PrintError(fmt::format("textconv takes one file (git passes it), not {} arguments", args.size()));
    return kExitError;
  }
  auto input = OpenDriverFile(args[0]);
  if (!input.ok()) {
    PrintError(input.status().message());
    return kExitError;
  }
  if (input->checkpoint) fmt::print("{}", TextconvText(*input->checkpoint));
  else fmt::print("{}", NotCheckpointText(input->not_checkpoint_reason, input->file->bytes()));
  return kExitOk;
}

}  // namespace

void SetupTextconv(CLI::App& sub, int* exit_code) {
  TakeArgumentsVerbatim(sub, "FILE: the file to describe (git passes a temporary copy or the work-tree file)");
  sub.footer(
      "FILE is taken as given, even when it starts with '-'.\n"
      "Set up by `git model install`: git runs it for files with the `diff=git-model` attribute.\n"
      "A file that is not a checkpoint prints `git-model textconv v1: not a checkpoint (...)`.");
  sub.callback([&sub, exit_code] { *exit_code = Textconv(VerbatimArguments(sub)); });
}

}  // namespace gitmodel::cli
