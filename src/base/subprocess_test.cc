#include "base/subprocess.h"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cerrno>
#include <chrono>

namespace gitmodel {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Every child this process started has been reaped.
void ExpectNoChildren() {
  errno = 0;
  EXPECT_EQ(waitpid(-1, nullptr, WNOHANG), -1);
  EXPECT_EQ(errno, ECHILD);
}

TEST(Subprocess, CollectsStdoutAndExitCode) {
  ProcessResult r = RunProcess({"echo", "hello", "world"});
  EXPECT_TRUE(r.started);
  EXPECT_FALSE(r.timed_out);
  EXPECT_FALSE(r.truncated);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "hello world\n");
  EXPECT_EQ(RunProcess({"sh", "-c", "exit 3"}).exit_code, 3);
  ExpectNoChildren();
}

TEST(Subprocess, ArgumentsAreNotInterpretedByAShell) {
  ProcessResult r = RunProcess({"echo", "$HOME; rm -rf /nonexistent", "*"});
  EXPECT_EQ(r.out, "$HOME; rm -rf /nonexistent *\n");
}

TEST(Subprocess, StderrIsDiscardedAndStdinIsEmpty) {
  ProcessResult r = RunProcess({"sh", "-c", "echo oops >&2; cat; echo done"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "done\n");
}

TEST(Subprocess, MissingProgramIsNotStarted) {
  ProcessResult r = RunProcess({"git-model-no-such-program-xyz"});
  EXPECT_FALSE(r.started);
  EXPECT_EQ(r.exit_code, -1);
  EXPECT_FALSE(RunProcess({"/nonexistent/dir/tool"}).started);
  EXPECT_FALSE(RunProcess({}).started);
  EXPECT_FALSE(RunProcess({"/etc/hostname"}).started);  // not executable
  ExpectNoChildren();
}

TEST(Subprocess, TimeoutKillsAndReapsQuickly) {
  auto start = Clock::now();
  ProcessResult r = RunProcess({"sleep", "5"}, {.timeout_ms = 200});
  double seconds = SecondsSince(start);
  EXPECT_TRUE(r.started);
  EXPECT_TRUE(r.timed_out);
  EXPECT_EQ(r.exit_code, 128 + SIGKILL);
  EXPECT_GE(seconds, 0.19);
  EXPECT_LT(seconds, 1.5);
  ExpectNoChildren();
}

TEST(Subprocess, TimeoutKeepsOutputWrittenBeforeIt) {
  ProcessResult r = RunProcess({"sh", "-c", "echo early; sleep 5"}, {.timeout_ms = 300});
  EXPECT_TRUE(r.timed_out);
  EXPECT_EQ(r.out, "early\n");
}

TEST(Subprocess, DescendantsHoldingStdoutDoNotStallTheCall) {
  // sh exits at once; its background sleep keeps the pipe open and is killed with the group.
  auto start = Clock::now();
  ProcessResult r = RunProcess({"sh", "-c", "sleep 5 & echo hi"}, {.timeout_ms = 3000});
  EXPECT_LT(SecondsSince(start), 1.5);
  EXPECT_FALSE(r.timed_out);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "hi\n");
  ExpectNoChildren();
}

TEST(Subprocess, OutputIsCapped) {
  ProcessResult r = RunProcess({"head", "-c", "300000", "/dev/zero"}, {.max_output = 1000});
  EXPECT_EQ(r.exit_code, 0);  // the rest was drained, so the writer did not block or get SIGPIPE
  EXPECT_EQ(r.out.size(), 1000u);
  EXPECT_TRUE(r.truncated);
  ProcessResult exact = RunProcess({"head", "-c", "1000", "/dev/zero"}, {.max_output = 1000});
  EXPECT_EQ(exact.out.size(), 1000u);
  EXPECT_FALSE(exact.truncated);
}

TEST(Subprocess, SignalDeathIsReportedAsExitCode) {
  ProcessResult r = RunProcess({"sh", "-c", "kill -TERM $$"});
  EXPECT_EQ(r.exit_code, 128 + SIGTERM);
  EXPECT_FALSE(r.timed_out);
}

TEST(Subprocess, RealRunnerRunsTheProgram) {
  EXPECT_EQ(RealProcessRunner().Run({"echo", "x"}, {}).out, "x\n");
}

}  // namespace
}  // namespace gitmodel
