// The subcommand table: each cmd_<name>.cc defines one Register function listed in main.cc.
#pragma once

#include <CLI/CLI.hpp>

namespace gitmodel::cli {

// Exit codes shared by every command (DESIGN.md): 0 success, 1 a negative answer, 2 an error.
inline constexpr int kExitOk = 0;
inline constexpr int kExitNegative = 1;
inline constexpr int kExitError = 2;

struct Command {
  const char* name;
  const char* description;
  // Adds the subcommand's options to `sub` and sets its callback, which stores its exit code
  // in `*exit_code`.
  void (*setup)(CLI::App& sub, int* exit_code);
};

void SetupInspect(CLI::App& sub, int* exit_code);
void SetupStamp(CLI::App& sub, int* exit_code);
void SetupShow(CLI::App& sub, int* exit_code);
void SetupVerify(CLI::App& sub, int* exit_code);
void SetupKeygen(CLI::App& sub, int* exit_code);
void SetupAttest(CLI::App& sub, int* exit_code);
void SetupEnv(CLI::App& sub, int* exit_code);
void SetupData(CLI::App& sub, int* exit_code);
void SetupDiff(CLI::App& sub, int* exit_code);
void SetupTextconv(CLI::App& sub, int* exit_code);
void SetupGitDiff(CLI::App& sub, int* exit_code);
void SetupInstall(CLI::App& sub, int* exit_code);
void SetupHooks(CLI::App& sub, int* exit_code);
void SetupHook(CLI::App& sub, int* exit_code);
void SetupParams(CLI::App& sub, int* exit_code);
void SetupBlame(CLI::App& sub, int* exit_code);
void SetupRun(CLI::App& sub, int* exit_code);
void SetupRuns(CLI::App& sub, int* exit_code);
void SetupLog(CLI::App& sub, int* exit_code);
void SetupReindex(CLI::App& sub, int* exit_code);
void SetupTrack(CLI::App& sub, int* exit_code);
void SetupFilterProcess(CLI::App& sub, int* exit_code);
void SetupFsck(CLI::App& sub, int* exit_code);
void SetupStats(CLI::App& sub, int* exit_code);
void SetupGc(CLI::App& sub, int* exit_code);
void SetupRemote(CLI::App& sub, int* exit_code);
void SetupPush(CLI::App& sub, int* exit_code);
void SetupFetch(CLI::App& sub, int* exit_code);
void SetupPull(CLI::App& sub, int* exit_code);
void SetupScan(CLI::App& sub, int* exit_code);
void SetupReport(CLI::App& sub, int* exit_code);
void SetupBisect(CLI::App& sub, int* exit_code);
void SetupBisectStep(CLI::App& sub, int* exit_code);

}  // namespace gitmodel::cli
