// git model diff A B [--stat] [--top N] [--sort rel|l2|maxabs|name] [--module-depth N]
//                    [--atol X --rtol Y] [--exit-code] [--json]
#include "cli/command.h"
#include "cli/diff_runner.h"

namespace gitmodel::cli {

void SetupDiff(CLI::App& sub, int* exit_code) {
  auto args = std::make_shared<DiffArgs>();
  sub.add_option("A", args->a, "The old checkpoint: a path, or REV:PATH (the file as committed at a revision)")
      ->required();
  sub.add_option("B", args->b, "The new checkpoint: a path, or REV:PATH")->required();
  sub.add_flag("--stat", args->stat, "One line per changed tensor with a bar for its relative change");
  sub.add_option("--top", args->top, "Tensors listed per section (default 20; --json lists all unless given)")
      ->check(CLI::PositiveNumber)
      ->each([args](const std::string&) { args->top_given = true; });
  sub.add_option("--sort", args->sort, "Order of the tensor tables")
      ->check(CLI::IsMember({"rel", "l2", "maxabs", "name"}))
      ->default_str("rel");
  sub.add_option("--module-depth", args->module_depth, "Name components per module in the roll-up (default 2)")
      ->check(CLI::Range(0, 64));
  sub.add_option("--atol", args->atol, "Absolute tolerance, as torch.allclose (default 1e-8)")
      ->check(CLI::NonNegativeNumber);
  sub.add_option("--rtol", args->rtol, "Relative tolerance, as torch.allclose (default 1e-5)")
      ->check(CLI::NonNegativeNumber);
  sub.add_flag("--exit-code", args->exit_code,
               "Exit 1 when anything differs beyond tolerance (tensors, architecture, other content), else 0");
  sub.add_flag("--json", args->json, "One JSON document (schema git-model/diff/v1)");
  sub.callback([args, exit_code] { *exit_code = RunDiff(*args); });
}

}  // namespace gitmodel::cli
