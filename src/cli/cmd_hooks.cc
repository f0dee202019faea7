// git model hooks install|uninstall [--json]: git-model's pre-commit, commit-msg and pre-push
// hooks, chained to any hook already there (docs/hooks.md; the library is src/hooks/hook_install).
#include <cstdlib>

#include <fmt/core.h>

#include "base/find_program.h"
#include "cli/command.h"
#include "cli/render.h"
#include "hooks/hook_install.h"

namespace gitmodel::cli {
namespace {

struct HooksArgs {
  bool json = false;
};

void Render(const std::string& dir, const std::vector<HookAction>& actions, bool on_path, bool json) {
  if (json) {
    nlohmann::json list = nlohmann::json::array();
    for (const HookAction& a : actions) {
      list.push_back({{"name", a.name}, {"path", a.path}, {"action", a.action}, {"changed", a.changed}});
      if (!a.chained.empty()) list.back()["chained"] = a.chained;
    }
    fmt::print("{}\n", JsonLine({{"hooks_dir", dir}, {"git_model_on_path", on_path}, {"hooks", list}}));
    return;
  }
  fmt::print("hooks: {}\n", dir);
  for (const HookAction& a : actions) {
    fmt::print("  {}  ({})\n", a.name, a.action);
    if (!a.chained.empty() && a.action.find("left alone") == std::string::npos && a.action.find("restored") == std::string::npos)
      fmt::print("    runs first: {}\n", a.chained);
  }
}

int Run(bool install, const HooksArgs& args) {
  auto repo = DiscoverRepo(".");
  if (!repo.ok() || !*repo) {
    PrintError(repo.ok() ? "not in a git repository" : repo.status().message());
    return kExitError;
  }
  auto dir = HooksDir(**repo);
  if (!dir.ok()) return PrintError(dir.status().message()), kExitError;
  auto actions = install ? InstallHooks(*dir) : UninstallHooks(*dir);
  if (!actions.ok()) return PrintError(actions.status().message()), kExitError;
  const char* path_env = std::getenv("PATH");
  const bool on_path = FindProgram("git-model", path_env ? path_env : "").has_value();
  if (install && !on_path)
    fmt::print(stderr, "git-model: warning: 'git-model' is not on PATH; the hooks run it by that name and refuse "
                       "commits while it is missing\n");
  Render(*dir, *actions, on_path, args.json);
  return kExitOk;
}

}  // namespace

void SetupHooks(CLI::App& sub, int* exit_code) {
  auto args = std::make_shared<HooksArgs>();
  sub.require_subcommand(1);
  CLI::App* install = sub.add_subcommand(
      "install", "Install pre-commit, commit-msg and pre-push hooks (core.hooksPath respected; existing hooks kept and run first)");
  install->add_flag("--json", args->json, "One JSON document: the hooks directory and what was done to each hook");
  install->footer("Idempotent. An existing hook <name> is renamed <name>.pre-git-model and still runs first.");
  install->callback([args, exit_code] { *exit_code = Run(true, *args); });
  CLI::App* uninstall = sub.add_subcommand("uninstall", "Remove git-model's hooks and put back the hooks they chained");
  uninstall->add_flag("--json", args->json, "One JSON document: the hooks directory and what was done to each hook");
  uninstall->footer("Only hooks holding git-model's marker line are removed.");
  uninstall->callback([args, exit_code] { *exit_code = Run(false, *args); });
}

}  // namespace gitmodel::cli
