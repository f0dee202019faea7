// git model textconv FILE: the text git's line diff shows for a checkpoint (diff.<driver>.textconv).
#include <fmt/core.h>

#include "cli/command.h"
#include "cli/render.h"
#include "inspect/textconv_text.h"

namespace gitmodel::cli {
namespace {

int Textconv(const std::string& path) {
  auto ck = Checkpoint::Open(path);
  if (!ck.ok()) {
    PrintError(ck.status().message());
    return kExitError;
  }
  fmt::print("{}", TextconvText(**ck));
  return kExitOk;
}

}  // namespace

void SetupTextconv(CLI::App& sub, int* exit_code) {
  auto file = std::make_shared<std::string>();
  sub.add_option("file", *file, "Checkpoint file (git passes a temporary copy, whatever its name)")->required();
  sub.footer("Set up by `git model install`: git runs it for files with the `diff=git-model` attribute.");
  sub.callback([file, exit_code] { *exit_code = Textconv(*file); });
}

}  // namespace gitmodel::cli
