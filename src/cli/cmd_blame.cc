// git model blame KEY [--file F] [--all] [--json]
#include <fmt/core.h>

#include "cli/command.h"
#include "cli/params_context.h"
#include "cli/render.h"
#include "cli/render_params.h"
#include "hyperparams/flat_params.h"
#include "hyperparams/param_blame.h"

namespace gitmodel::cli {
namespace {

struct BlameArgs {
  std::string key;
  std::vector<std::string> files;
  std::string revision = "HEAD";
  bool all = false;
  bool json = false;
};

int RunBlame(const BlameArgs& args) {
  auto context = OpenParamsContext(args.files, {});
  auto blame = context.ok() ? BlameParam(context->repo, args.revision, args.key, context->query, args.all)
                            : Result<ParamBlame>(context.status());
  if (!blame.ok()) {
    PrintError(blame.status().message());
    return kExitError;
  }
  if (args.json) {
    nlohmann::json steps = nlohmann::json::array();
    for (const BlameStep& s : blame->steps) {
      nlohmann::json step = CommitJson(s.commit);
      step["path"] = s.path;
      step["change"] = ChangeJson(s.change);
      steps.push_back(std::move(step));
    }
    fmt::print("{}\n", JsonLine({{"key", blame->key}, {"path", blame->path}, {"value", blame->value}, {"steps", steps}}));
    return kExitOk;
  }
  fmt::print("{} = {}  ({})\n", blame->key, ParamValueText(blame->value), blame->path);
  for (const BlameStep& s : blame->steps) {
    FileParamChanges file{s.path, s.path, std::nullopt, {s.change}};
    fmt::print("{}\n{}", CommitHeadline(s.commit), FileChangesText({file}, 4));
  }
  return kExitOk;
}

}  // namespace

void SetupBlame(CLI::App& sub, int* exit_code) {
  auto args = std::make_shared<BlameArgs>();
  sub.add_option("key", args->key, "The dotted key (optimizer.lr)")->required();
  sub.add_option("--file", args->files, "The config file holding the key, when several do")
      ->allow_extra_args(false);
  sub.add_option("--rev", args->revision, "Blame the value at this revision (default HEAD)");
  sub.add_flag("--all", args->all, "The whole chain of changes back to the key's introduction");
  sub.add_flag("--json", args->json, "One JSON document");
  sub.callback([args, exit_code] { *exit_code = RunBlame(*args); });
}

}  // namespace gitmodel::cli
