#include "runs/output_tee.h"

#include <fcntl.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <string>

#include "runs/child_spawn.h"

namespace gitmodel {
namespace {

// The read end of a pipe: what was written to the other end so far.
std::string Drain(int fd) {
  std::string bytes;
  char buffer[4096];
  for (ssize_t n; (n = ::read(fd, buffer, sizeof buffer)) > 0;) bytes.append(buffer, static_cast<size_t>(n));
  return bytes;
}

// A pipe for the log and each echo, non-blocking so tests can drain them.
class OutputTeeTest : public ::testing::Test {
 protected:
  OutputTeeTest() {
    for (int i = 0; i < 3; ++i) {
      int fds[2];
      EXPECT_EQ(::pipe2(fds, O_CLOEXEC | O_NONBLOCK), 0);
      ::fcntl(fds[1], F_SETPIPE_SZ, 1 << 20);  // room for what a test writes before draining
      read_[i].Reset(fds[0]);
      write_[i].Reset(fds[1]);
    }
  }
  OutputTee MakeTee() { return OutputTee(write_[0].get(), write_[1].get(), write_[2].get(), {}); }
  std::string Log() { return Drain(read_[0].get()); }
  std::string Out() { return Drain(read_[1].get()); }
  std::string Err() { return Drain(read_[2].get()); }

  OwnedFd read_[3], write_[3];
};

TEST_F(OutputTeeTest, EchoesAtOnceAndLogsWholeLines) {
  OutputTee tee = MakeTee();
  tee.Write(ChildStream::kOut, "ab");
  EXPECT_EQ(Out(), "ab");
  EXPECT_EQ(Log(), "");
  tee.Write(ChildStream::kErr, "x\ny");
  tee.Write(ChildStream::kOut, "c\nd");
  EXPECT_EQ(Err(), "x\ny");
  EXPECT_EQ(Out(), "c\nd");
  EXPECT_EQ(Log(), "x\nabc\n");
  tee.EndStream(ChildStream::kOut);
  EXPECT_EQ(Log(), "d");
  tee.Finish();
  EXPECT_EQ(Log(), "y");
  EXPECT_EQ(tee.log_error(), "cannot sync: Invalid argument");  // a pipe cannot be fsync'ed
}

TEST_F(OutputTeeTest, ACarriageReturnEndsALineAndLongLinesAreNotHeldWhole) {
  OutputTee tee = MakeTee();
  tee.Write(ChildStream::kErr, " 10%\r 20%\r 3");
  EXPECT_EQ(Log(), " 10%\r 20%\r");
  tee.Write(ChildStream::kOut, std::string(kMaxHeldLineBytes - 1, 'a'));
  EXPECT_EQ(Log().size(), 0u);
  tee.Write(ChildStream::kOut, "aa");
  EXPECT_EQ(Log().size(), kMaxHeldLineBytes + 1);
}

TEST_F(OutputTeeTest, AnEchoErrorStopsOnlyThatEcho) {
  OutputTee tee = MakeTee();
  read_[1].Reset();  // stdout's reader goes away: EPIPE (SIGPIPE is ignored below)
  const sighandler_t previous = ::signal(SIGPIPE, SIG_IGN);
  tee.Write(ChildStream::kOut, "lost\n");
  ::signal(SIGPIPE, previous);
  EXPECT_FALSE(tee.echoing(ChildStream::kOut));
  tee.Write(ChildStream::kErr, "kept\n");
  EXPECT_TRUE(tee.echoing(ChildStream::kErr));
  EXPECT_EQ(Err(), "kept\n");
  EXPECT_EQ(Log(), "lost\nkept\n");
}

TEST(OutputTee, ALogWriteErrorIsReportedAndLoggingStops) {
  OwnedFd full(::open("/dev/full", O_WRONLY | O_CLOEXEC));
  ASSERT_GE(full.get(), 0);
  OutputTee tee(full.get(), -1, -1, {});
  tee.Write(ChildStream::kOut, "line\n");
  EXPECT_EQ(tee.log_error(), "cannot write: No space left on device");
  tee.Write(ChildStream::kOut, "more\n");
  tee.Finish();
  EXPECT_EQ(tee.log_error(), "cannot write: No space left on device");
}

}  // namespace
}  // namespace gitmodel
