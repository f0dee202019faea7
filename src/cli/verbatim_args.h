// Arguments taken as given, for the commands git runs with file names (textconv, git-diff): git
// passes a work-tree file by its path, which may start with '-' (`-odd.pth`, `--`, even `-h`), and
// puts no `--` before it.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace gitmodel::cli {

// `sub` gets no options, not even -h/--help or `--`: every argument is collected, in order. The
// one exception is CLI11's own: `++` as the very first argument ends the subcommand.
void TakeArgumentsVerbatim(CLI::App& sub, const std::string& description);

// The arguments of a TakeArgumentsVerbatim `sub`. A lone `-h` or `--help` naming no existing file
// asks for help: throws CLI::CallForHelp, which main turns into the command's help text.
std::vector<std::string> VerbatimArguments(const CLI::App& sub);

}  // namespace gitmodel::cli
