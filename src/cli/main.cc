// git-model: the command-line front end. As `git-model` on PATH it also answers `git model ...`.
#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "cli/command.h"
#include "cli/render.h"

namespace gitmodel::cli {
namespace {

constexpr Command kCommands[] = {
    {"inspect", "Show what a checkpoint holds: format, tensors, parameters, values (no Python, no code run)",
     SetupInspect},
    {"stamp", "Embed a birth certificate in checkpoints: commit, uncommitted patch, hyperparameters, environment, data",
     SetupStamp},
    {"show", "Show where a checkpoint came from: its record, or what its training script saved", SetupShow},
    {"verify", "Check a checkpoint's weights against its record and report drift in code, environment and data",
     SetupVerify},
    {"keygen", "Make an Ed25519 key for signing provenance records (stamp --sign)", SetupKeygen},
    {"attest", "Print a checkpoint's provenance as an in-toto Statement with a SLSA provenance predicate",
     SetupAttest},
    {"env", "Show the runtime environment (OS, GPUs, driver, CUDA, cuDNN, torch, container), or diff two records",
     SetupEnv},
    {"data", "Checksum data sets, or verify the data recorded in a checkpoint", SetupData},
    {"diff", "Compare two checkpoints tensor by tensor: what changed, by how much, and why", SetupDiff},
    {"textconv", "Print a checkpoint as text for git's line diff (git runs it: diff.git-model.textconv)", SetupTextconv},
    {"git-diff", "Compare the two sides git hands an external diff (git runs it: diff.git-model.command)", SetupGitDiff},
    {"install", "Set git up to use git-model: the diff driver and the storage filter (config, .gitattributes)",
     SetupInstall},
    {"track", "Store files matching a pattern through git-model (tensor-level dedup): .gitattributes", SetupTrack},
    {"filter-process", "Store and rebuild tracked files (git runs this: filter.git-model.process)", SetupFilterProcess},
    {"fsck", "Verify every stored object and list what the history needs but the store lacks", SetupFsck},
    {"gc", "Remove stored objects that no ref, recent reflog entry, index or record needs", SetupGc},
    {"stats", "What tensor-level dedup and compression save against full copies of every version", SetupStats},
    {"remote", "List, add or remove git-model remotes (file:///path, s3://bucket/prefix) for stored objects", SetupRemote},
    {"push", "Upload the stored objects HEAD's history needs (--all: every ref's) to a git-model remote", SetupPush},
    {"fetch", "Download the stored objects HEAD and the index need from a git-model remote", SetupFetch},
    {"pull", "Fetch, then check out the files that are still pointers", SetupPull},
    {"hooks", "Install or remove git-model's git hooks (pre-commit, commit-msg, pre-push), keeping existing hooks",
     SetupHooks},
    {"hook", "Run one of git-model's git hooks (git runs these: see `git model hooks install`)", SetupHook},
    {"params", "Hyperparameter history: which commits changed which config values (or --at REV, diff A B)",
     SetupParams},
    {"blame", "Which commit set a hyperparameter's current value (--all: the whole chain)", SetupBlame},
    {"run", "Run a training command and record it: code, config, environment, data, metrics, checkpoints", SetupRun},
    {"log", "The model's lineage: per commit, the hyperparameters it changed, its runs, metrics, checkpoints", SetupLog},
    {"runs", "List recorded runs (--where, --sort), show one, or compare several side by side", SetupRuns},
    {"reindex", "Rebuild the run index from the records ref (refs/git-model/records)", SetupReindex},
    {"scan", "Scan the pickles a file holds for code that runs when it is loaded (static: nothing is unpickled)",
     SetupScan},
    {"report", "The change report of a period: features, architecture, hyperparameters, metrics, environment, churn",
     SetupReport},
    {"bisect", "Find the commit that moved a metric: real git bisect running a command, or recorded runs (--offline)",
     SetupBisect},
    {"bisect-step", "One step of `git model bisect` (git bisect run runs this)", SetupBisectStep},
};

}  // namespace
}  // namespace gitmodel::cli

int main(int argc, char** argv) {
  using namespace gitmodel::cli;
  CLI::App app{"git-model: git that understands PyTorch models", "git-model"};
  app.set_version_flag("--version", std::string("git-model ") + GITMODEL_VERSION);
  app.require_subcommand(1);
  app.fallthrough(false);
  int exit_code = kExitOk;
  for (const Command& c : kCommands) c.setup(*app.add_subcommand(c.name, c.description), &exit_code);
  // `git model help inspect` == `git model inspect --help`.
  std::string help_topic;
  CLI::App* help = app.add_subcommand("help", "Show help for a command");
  help->add_option("command", help_topic, "The command to explain");
  help->callback([&] {
    if (help_topic.empty()) return fmt::print("{}", app.help());
    CLI::App* sub = nullptr;
    try {
      sub = app.get_subcommand(help_topic);
    } catch (const CLI::OptionNotFound&) {
      PrintError(fmt::format("no such command '{}'", help_topic));
      exit_code = kExitError;
      return;
    }
    fmt::print("{}", sub->help("git-model"));
  });
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    PrintError(e.what());
    fmt::print(stderr, "Run 'git-model --help' for usage.\n");
    return kExitError;
  }
  return exit_code;
}
