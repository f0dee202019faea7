#include "runs/child_signals.h"

#include <unistd.h>

#include <gtest/gtest.h>

namespace gitmodel {
namespace {

sighandler_t HandlerOf(int number) {
  struct sigaction current;
  ::sigaction(number, nullptr, &current);
  return current.sa_handler;
}

TEST(ChildSignals, OnlySignalsSentByProcessesAreForwarded) {
  EXPECT_TRUE(SentByProcess(SI_USER));
  EXPECT_TRUE(SentByProcess(SI_QUEUE));
  EXPECT_TRUE(SentByProcess(SI_TKILL));
  EXPECT_FALSE(SentByProcess(SI_KERNEL));  // a key on the terminal
}

TEST(ChildSignals, RelayCatchesSignalsAndRestoresDispositions) {
  const sighandler_t usr1_before = HandlerOf(SIGUSR1);
  const sighandler_t pipe_before = HandlerOf(SIGPIPE);
  {
    Result<std::unique_ptr<SignalRelay>> relay = SignalRelay::Install();
    ASSERT_TRUE(relay.ok()) << relay.status().message();
    EXPECT_EQ(HandlerOf(SIGPIPE), SIG_IGN);
    ASSERT_EQ(::kill(::getpid(), SIGUSR1), 0);  // delivered to this thread before kill returns
    ASSERT_EQ(::kill(::getpid(), SIGTERM), 0);
    std::vector<ReceivedSignal> received = (*relay)->Take();
    ASSERT_EQ(received.size(), 2u);
    EXPECT_EQ(received[0].number, SIGUSR1);
    EXPECT_TRUE(received[0].from_process);
    EXPECT_EQ(received[0].sender, ::getpid());
    EXPECT_EQ(received[1].number, SIGTERM);
    EXPECT_TRUE((*relay)->Take().empty());
    EXPECT_TRUE(sigismember(&(*relay)->child_default_signals(), SIGHUP));
    EXPECT_TRUE(sigismember(&(*relay)->child_default_signals(), SIGPIPE));
  }
  EXPECT_EQ(HandlerOf(SIGUSR1), usr1_before);
  EXPECT_EQ(HandlerOf(SIGPIPE), pipe_before);
}

TEST(ChildSignals, ASignalIgnoredBeforeStaysIgnored) {
  const sighandler_t previous = ::signal(SIGHUP, SIG_IGN);
  {
    Result<std::unique_ptr<SignalRelay>> relay = SignalRelay::Install();
    ASSERT_TRUE(relay.ok());
    EXPECT_EQ(HandlerOf(SIGHUP), SIG_IGN);
    EXPECT_FALSE(sigismember(&(*relay)->child_default_signals(), SIGHUP));
  }
  EXPECT_EQ(HandlerOf(SIGHUP), SIG_IGN);
  ::signal(SIGHUP, previous);
}

}  // namespace
}  // namespace gitmodel
