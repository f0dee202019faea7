// git model hook pre-commit | commit-msg FILE | pre-push [REMOTE URL]: what the hooks that
// `git model hooks install` writes run (docs/hooks.md). Messages go to stderr, which git shows.
// Exit 0 accepts, 1 refuses (git aborts the commit or push), 2 is an error (git aborts too).
#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <iterator>

#include <fmt/core.h>

#include "cli/command.h"
#include "cli/pre_push_upload.h"
#include "cli/render.h"
#include "hooks/commit_msg.h"
#include "hooks/hook_commands.h"
#include "hooks/pre_push.h"
#include "hooks/staged_checks.h"

namespace gitmodel::cli {
namespace {

struct HookArgs {
  std::string message_file;
  std::vector<std::string> push_args;
};

struct Context {
  GitRepo repo;
  std::string workdir;
  ProjectConfig config;
};

// The repository and its .git-model.toml; a broken working-tree .git-model.toml falls back to the
// defaults with a warning (pre-commit still refuses it when it is staged).
Result<Context> OpenContext(const char* hook) {
  GM_ASSIGN_OR_RETURN(std::optional<GitRepo> repo, DiscoverRepo("."));
  if (!repo) return InvalidArgument("not in a git repository");
  std::string workdir = WorkdirOf(*repo);
  if (workdir.empty()) return InvalidArgument("{} needs a working tree; this repository is bare", hook);
  auto config = LoadProjectConfig(workdir);
  if (!config.ok())
    fmt::print(stderr, "git-model: warning: {}; using the default settings\n", config.status().message());
  return Context{std::move(*repo), workdir, config.ok() ? std::move(*config) : ProjectConfig{}};
}

std::string ShellWord(const std::string& path) {
  if (path.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-/+=:@,") ==
      std::string::npos)
    return path;
  std::string out = "'";
  for (char c : path) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string ProblemText(const StagedProblem& p, const HookSettings& hooks) {
  switch (p.kind) {
    case StagedProblem::Kind::kTooLarge:
      return fmt::format("{}: {} ({} bytes), above the limit of {} bytes (max_file_bytes)", p.path, HumanBytes(p.size),
                         Thousands(p.size), Thousands(hooks.max_file_bytes));
    case StagedProblem::Kind::kCheckpoint:
      return fmt::format("{}: a checkpoint (matches {}) not stored through git-model's filter", p.path, p.detail);
    case StagedProblem::Kind::kBadConfig:
      return fmt::format("config does not parse: {}", p.detail);
  }
  return p.path;
}

void PrintFixes(const std::vector<StagedProblem>& problems) {
  std::vector<std::string> files, patterns;  // patterns: those the unfiltered checkpoints matched
  bool config = false;
  for (const StagedProblem& p : problems) {
    if (p.kind == StagedProblem::Kind::kBadConfig) {
      config = true;
      continue;
    }
    if (p.kind == StagedProblem::Kind::kCheckpoint && std::find(patterns.begin(), patterns.end(), p.detail) == patterns.end())
      patterns.push_back(p.detail);
    if (files.empty() || files.back() != ShellWord(p.path)) files.push_back(ShellWord(p.path));
  }
  if (!files.empty()) {
    std::string list;
    for (const std::string& f : files) list += " " + f;
    fmt::print(stderr, "To unstage {} (the working-tree copy stays), run:\n  git rm --cached{}\n",
               files.size() == 1 ? "it" : "them", list);
    fmt::print(stderr, "and list {} in .gitignore.\n", files.size() == 1 ? "it" : "them");
  }
  if (!patterns.empty()) {
    std::string list;
    for (const std::string& pattern : patterns) list += " " + ShellWord(pattern);
    fmt::print(stderr,
               "Or store checkpoints in git through git-model's filter (per tensor, deduplicated; docs/storage.md):\n"
               "  git model install && git model track{}\n"
               "then commit .gitattributes and `git add` them again (they get the attribute `filter=git-model`).\n",
               list);
  }
  if (config) fmt::print(stderr, "Fix the config file and `git add` it again.\n");
}

int RunPreCommit() {
  auto ctx = OpenContext("pre-commit");
  if (!ctx.ok()) return PrintError(ctx.status().message()), kExitError;
  auto problems = CheckStagedFiles(ctx->repo, ctx->config);
  if (!problems.ok()) return PrintError(problems.status().message()), kExitError;
  bool refused = !problems->empty();
  if (refused) {
    fmt::print(stderr, "git-model pre-commit: refusing the commit:\n");
    for (const StagedProblem& p : *problems) fmt::print(stderr, "  {}\n", ProblemText(p, ctx->config.hooks));
    PrintFixes(*problems);
  }
  std::vector<CheckOutcome> checks;
  if (ctx->config.hooks.require_cuda) checks.push_back(ProbeCuda(RealProcessRunner()));
  for (const std::string& command : ctx->config.hooks.commands)
    checks.push_back(RunHookCommand(RealProcessRunner(), ctx->workdir, command));
  for (const CheckOutcome& c : checks) {
    if (c.passed) continue;
    refused = true;
    fmt::print(stderr, "git-model pre-commit: check failed: {}\n{}\n", c.name, c.detail);
  }
  if (refused) fmt::print(stderr, "(git commit --no-verify skips these checks)\n");
  return refused ? kExitNegative : kExitOk;
}

int RunCommitMsg(const HookArgs& args) {
  auto ctx = OpenContext("commit-msg");
  if (!ctx.ok()) return PrintError(ctx.status().message()), kExitError;
  const char* off = std::getenv("GIT_MODEL_NO_TRAILER");
  const bool no_trailer = off && std::string_view(off) == "1";
  auto outcome = AddHyperparamTrailer(ctx->repo, ctx->config, args.message_file, no_trailer);
  if (!outcome.ok()) return PrintError(outcome.status().message()), kExitError;
  return kExitOk;
}

int RunPrePush(const HookArgs& args) {
  std::string input((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  auto refs = ParsePrePushInput(input);
  if (!refs.ok()) return PrintError(refs.status().message()), kExitError;
  return UploadForPush(*refs, args.push_args.empty() ? "" : args.push_args.front());
}

}  // namespace

void SetupHook(CLI::App& sub, int* exit_code) {
  auto args = std::make_shared<HookArgs>();
  sub.require_subcommand(1);
  sub.footer("git runs these through the hooks `git model hooks install` writes; `git commit --no-verify` skips them.");
  CLI::App* pre_commit = sub.add_subcommand(
      "pre-commit", "Refuse staged files over the size limit, checkpoints outside git-model's filter, configs that do "
                    "not parse; run require_cuda and commands from .git-model.toml");
  pre_commit->callback([exit_code] { *exit_code = RunPreCommit(); });
  CLI::App* commit_msg = sub.add_subcommand(
      "commit-msg", "Add a `Hyperparams: lr 0.01 -> 0.001` trailer when staged configs change values");
  commit_msg->add_option("file", args->message_file, "The commit message file git passes")->required();
  commit_msg->callback([args, exit_code] { *exit_code = RunCommitMsg(*args); });
  CLI::App* pre_push = sub.add_subcommand(
      "pre-push", "Upload the stored objects the pushed commits need to the git-model remote (`git model push`)");
  pre_push->add_option("args", args->push_args, "The remote name and URL git passes");
  pre_push->callback([args, exit_code] { *exit_code = RunPrePush(*args); });
}

}  // namespace gitmodel::cli
