#include "runs/child_runner.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

#include "provenance/testing/temp_dir.h"
#include "runs/child_spawn.h"

namespace gitmodel {
namespace {

using Clock = std::chrono::steady_clock;

std::string ReadAll(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string Repeat(std::string_view piece, size_t times) {
  std::string s;
  s.reserve(piece.size() * times);
  for (size_t i = 0; i < times; ++i) s.append(piece);
  return s;
}

// Every child this process started has been reaped.
void ExpectNoChildren() {
  errno = 0;
  EXPECT_EQ(::waitpid(-1, nullptr, WNOHANG), -1);
  EXPECT_EQ(errno, ECHILD);
}

sighandler_t HandlerOf(int number) {
  struct sigaction current;
  ::sigaction(number, nullptr, &current);
  return current.sa_handler;
}

// Runs children with their echoes and log in a scratch directory.
class ChildRunnerTest : public ::testing::Test {
 protected:
  ChildRunnerTest() : out_(Create("out")), err_(Create("err")) {}
  ~ChildRunnerTest() override { ExpectNoChildren(); }

  ChildSpec Spec(std::vector<std::string> argv) {
    ChildSpec spec;
    spec.argv = std::move(argv);
    spec.log_path = Path("log");
    spec.out_fd = out_.get();
    spec.err_fd = err_.get();
    return spec;
  }
  ChildSpec Shell(const std::string& script) { return Spec({"/bin/sh", "-c", script}); }

  ChildOutcome Run(const ChildSpec& spec, const std::function<void()>& on_tick = {}) {
    Result<ChildOutcome> outcome = RunChild(spec, on_tick);
    EXPECT_TRUE(outcome.ok()) << outcome.status().message();
    return outcome.ok() ? *outcome : ChildOutcome{};
  }

  std::string Path(const std::string& name) const { return (dir_.path() / name).string(); }
  std::string Out() const { return ReadAll(Path("out")); }
  std::string Err() const { return ReadAll(Path("err")); }
  std::string Log() const { return ReadAll(Path("log")); }

 private:
  OwnedFd Create(const std::string& name) {
    return OwnedFd(::open(Path(name).c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  }

  testutil::ScratchDir dir_;
  OwnedFd out_, err_;
};

TEST_F(ChildRunnerTest, ReportsExitCodes) {
  ChildOutcome ok = Run(Shell("exit 0"));
  EXPECT_TRUE(ok.started);
  EXPECT_EQ(ok.exit_code, 0);
  EXPECT_FALSE(ok.signal.has_value());
  EXPECT_EQ(ok.ShellExitCode(), 0);
  EXPECT_TRUE(ok.forwarded_signals.empty());
  EXPECT_FALSE(ok.output_left_open);
  EXPECT_EQ(Run(Shell("exit 3")).ShellExitCode(), 3);
}

TEST_F(ChildRunnerTest, TeesBothStreamsToEchoesAndLog) {
  ChildOutcome outcome = Run(Shell("echo out1; echo err1 >&2; printf out2"));
  EXPECT_EQ(outcome.exit_code, 0);
  EXPECT_EQ(Out(), "out1\nout2");
  EXPECT_EQ(Err(), "err1\n");
  const std::string log = Log();
  EXPECT_TRUE(log == "out1\nerr1\nout2" || log == "err1\nout1\nout2" || log == "out1\nout2err1\n") << log;
  EXPECT_TRUE(outcome.log_error.empty());
}

TEST_F(ChildRunnerTest, LosesNothingOfTenMegabytesAndKeepsLinesWhole) {
  ChildOutcome outcome = Run(Shell("(yes y | head -c 5000000) & yes e | head -c 5000000 >&2; wait"));
  EXPECT_EQ(outcome.exit_code, 0);
  EXPECT_TRUE(Out() == Repeat("y\n", 2'500'000));
  EXPECT_TRUE(Err() == Repeat("e\n", 2'500'000));
  std::istringstream log(Log());
  size_t y = 0, e = 0, other = 0;
  for (std::string line; std::getline(log, line);) (line == "y" ? y : line == "e" ? e : other)++;
  EXPECT_EQ(y, 2'500'000u);
  EXPECT_EQ(e, 2'500'000u);
  EXPECT_EQ(other, 0u);
}

TEST_F(ChildRunnerTest, ClosedEchoReaderStopsTheEchoButNotTheLog) {
  int fds[2];
  ASSERT_EQ(::pipe2(fds, O_CLOEXEC), 0);
  ::close(fds[0]);
  OwnedFd dead_reader_pipe(fds[1]);
  const sighandler_t before = HandlerOf(SIGPIPE);
  ChildSpec spec = Shell("yes abc | head -c 1000000");
  spec.out_fd = dead_reader_pipe.get();
  ChildOutcome outcome = Run(spec);
  EXPECT_EQ(outcome.exit_code, 0);
  EXPECT_EQ(Log().size(), 1'000'000u);
  EXPECT_EQ(HandlerOf(SIGPIPE), before);
}

TEST_F(ChildRunnerTest, ReportsTheSignalThatEndedTheChild) {
  ChildOutcome killed = Run(Shell("kill -KILL $$"));
  EXPECT_FALSE(killed.exit_code.has_value());
  EXPECT_EQ(killed.signal, SIGKILL);
  EXPECT_EQ(killed.ShellExitCode(), 137);

  ChildOutcome crashed = Run(Shell("kill -SEGV $$"));
  EXPECT_EQ(crashed.signal, SIGSEGV);  // core_dumped depends on RLIMIT_CORE and core_pattern
  EXPECT_EQ(crashed.ShellExitCode(), 139);
}

TEST_F(ChildRunnerTest, ForwardsASignalSentByAnotherProcessAndOutlivesIt) {
  const sighandler_t before = HandlerOf(SIGTERM);
  std::thread sender;
  auto on_tick = [&] {
    if (!sender.joinable() && Out().find("ready") != std::string::npos) {
      sender = std::thread([] { ::kill(::getpid(), SIGTERM); });  // SI_USER, like kill(1)
    }
  };
  ChildSpec spec = Shell("trap 'echo got TERM; exit 5' TERM; echo ready; while :; do sleep 0.02; done");
  spec.tick = std::chrono::milliseconds(10);
  ChildOutcome outcome = Run(spec, on_tick);
  if (sender.joinable()) sender.join();
  EXPECT_EQ(outcome.exit_code, 5);
  EXPECT_EQ(outcome.forwarded_signals, std::vector<int>{SIGTERM});
  EXPECT_EQ(Out(), "ready\ngot TERM\n");
  EXPECT_EQ(HandlerOf(SIGTERM), before);
}

TEST_F(ChildRunnerTest, ChildStartsWithAnEmptyMaskAndDefaultDispositions) {
  sigset_t usr2, previous_mask;
  sigemptyset(&usr2);
  sigaddset(&usr2, SIGUSR2);
  pthread_sigmask(SIG_BLOCK, &usr2, &previous_mask);
  const sighandler_t previous_pipe = ::signal(SIGPIPE, SIG_IGN);
  ChildOutcome outcome = Run(Spec({"grep", "-E", "^Sig(Blk|Ign)", "/proc/self/status"}));
  ::signal(SIGPIPE, previous_pipe);
  pthread_sigmask(SIG_SETMASK, &previous_mask, nullptr);
  EXPECT_EQ(outcome.exit_code, 0);
  unsigned long long blocked = 1, ignored = 1;
  ASSERT_EQ(std::sscanf(Out().c_str(), "SigBlk: %llx SigIgn: %llx", &blocked, &ignored), 2) << Out();
  EXPECT_EQ(blocked, 0u);
  // glibc's posix_spawn leaves its own two signals (32 and 33, below SIGRTMIN) ignored.
  EXPECT_EQ(ignored & 0x7fffffffull, 0u) << Out();
}

TEST_F(ChildRunnerTest, ASignalIgnoredBeforeTheRunStaysIgnored) {
  const sighandler_t previous = ::signal(SIGHUP, SIG_IGN);  // as under nohup
  ChildOutcome outcome = Run(Shell("kill -HUP $$; echo survived"));
  ::signal(SIGHUP, previous);
  EXPECT_EQ(outcome.exit_code, 0);
  EXPECT_EQ(Out(), "survived\n");
}

TEST_F(ChildRunnerTest, AProgramThatCannotStartRunsNothing) {
  int ticks = 0;
  ChildOutcome missing = Run(Spec({"git-model-no-such-program-xyz", "--flag"}), [&] { ++ticks; });
  EXPECT_FALSE(missing.started);
  EXPECT_EQ(missing.start_error, "git-model-no-such-program-xyz: command not found");
  EXPECT_EQ(missing.ShellExitCode(), 127);
  EXPECT_EQ(ticks, 0);
  EXPECT_EQ(Run(Spec({"/nonexistent/train.py"})).ShellExitCode(), 127);

  ChildOutcome not_executable = Run(Spec({Path("log")}));
  EXPECT_FALSE(not_executable.started);
  EXPECT_EQ(not_executable.ShellExitCode(), 126);
  EXPECT_EQ(Run(Spec({"/tmp"})).ShellExitCode(), 126);
}

TEST_F(ChildRunnerTest, CallsOnTickWhileTheChildRunsAndOnceAfter) {
  int ticks = 0;
  ChildSpec spec = Spec({"sleep", "0.5"});
  spec.tick = std::chrono::milliseconds(20);
  ChildOutcome outcome = Run(spec, [&] { ++ticks; });
  EXPECT_EQ(outcome.exit_code, 0);
  EXPECT_GE(outcome.wall_seconds, 0.45);
  EXPECT_GE(ticks, 6);  // about 25 on an idle machine
  EXPECT_LE(ticks, 27);
}

TEST_F(ChildRunnerTest, MeasuresPeakMemory) {
  ChildOutcome outcome = Run(Spec({"/usr/bin/python3", "-c", "b = bytearray(50_000_000); b[::4096] = b'x' * len(b[::4096])"}));
  EXPECT_EQ(outcome.exit_code, 0);
  EXPECT_GE(outcome.peak_rss_kb, 45'000);
  EXPECT_GT(outcome.user_seconds + outcome.system_seconds, 0.0);
}

TEST_F(ChildRunnerTest, AGrandchildHoldingTheOutputDoesNotHoldUpTheRun) {
  const Clock::time_point start = Clock::now();
  ChildOutcome outcome = Run(Shell("sleep 30 & echo $!"));
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  EXPECT_EQ(outcome.exit_code, 0);
  EXPECT_TRUE(outcome.output_left_open);
  EXPECT_LT(seconds, 3.5);
  EXPECT_GE(seconds, 1.5);
  const pid_t grandchild = std::atoi(Out().c_str());
  ASSERT_GT(grandchild, 0);
  ::kill(grandchild, SIGKILL);  // it was reparented: not ours to reap
}

TEST_F(ChildRunnerTest, SetsTheChildsEnvironment) {
  ChildSpec spec = Shell("echo \"$PYTHONUNBUFFERED $GM_CHILD_TEST_VAR\"");
  spec.set_env = {{"GM_CHILD_TEST_VAR", "a b"}};
  EXPECT_EQ(Run(spec).exit_code, 0);
  EXPECT_EQ(Log(), "1 a b\n");
}

TEST_F(ChildRunnerTest, RefusesWhatItCannotRun) {
  EXPECT_EQ(RunChild(Spec({}), {}).status().code(), Code::kInvalidArgument);
  ChildSpec bad_name = Shell("true");
  bad_name.set_env = {{"A=B", "c"}};
  EXPECT_EQ(RunChild(bad_name, {}).status().code(), Code::kInvalidArgument);
  ChildSpec bad_log = Shell("true");
  bad_log.log_path = Path("missing-dir/log");
  Result<ChildOutcome> outcome = RunChild(bad_log, {});
  EXPECT_EQ(outcome.status().code(), Code::kIO);
  EXPECT_NE(outcome.status().message().find("missing-dir/log"), std::string::npos);
}

}  // namespace
}  // namespace gitmodel
