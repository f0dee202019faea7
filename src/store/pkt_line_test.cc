#include "store/pkt_line.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <functional>
#include <string>
#include <thread>

namespace gitmodel {
namespace {

std::span<const std::byte> Bytes(std::string_view s) { return std::as_bytes(std::span(s.data(), s.size())); }

// A pipe whose ends close with the test.
struct Pipe {
  Pipe() { EXPECT_EQ(pipe(fds), 0); }
  ~Pipe() { CloseRead(), CloseWrite(); }
  void CloseRead() { CloseFd(fds[0]); }
  void CloseWrite() { CloseFd(fds[1]); }
  static void CloseFd(int& fd) {
    if (fd >= 0) close(fd);
    fd = -1;
  }
  int read_fd() const { return fds[0]; }
  int write_fd() const { return fds[1]; }
  int fds[2] = {-1, -1};
};

// Writes raw bytes from a thread (so tests can send more than the pipe holds), then closes.
std::thread Feed(Pipe& p, std::string bytes) {
  return std::thread([&p, bytes = std::move(bytes)] {
    EXPECT_EQ(write(p.write_fd(), bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
    p.CloseWrite();
  });
}

// Everything a PktWriter session produced, read on another thread while it writes.
std::string Capture(const std::function<void(PktWriter&)>& session) {
  Pipe p;
  std::string captured;
  std::thread reader([&] {
    char buf[65536];
    for (ssize_t n; (n = read(p.read_fd(), buf, sizeof buf)) > 0;) captured.append(buf, static_cast<size_t>(n));
  });
  {
    PktWriter writer(p.write_fd());
    session(writer);
  }
  p.CloseWrite();
  reader.join();
  return captured;
}

TEST(PktLineTest, EncodesTextDataAndFlushAsGitDoes) {
  const std::string wire = Capture([](PktWriter& w) {
    ASSERT_TRUE(w.WriteText("git-filter-server").ok());
    ASSERT_TRUE(w.WriteData(Bytes("ab")).ok());
    ASSERT_TRUE(w.WriteData({}).ok());  // no packet at all
    ASSERT_TRUE(w.WriteFlush().ok());
  });
  EXPECT_EQ(wire, "0016git-filter-server\n0006ab0000");
}

TEST(PktLineTest, RoundTripsPacketsOfEverySize) {
  std::string big(3 * kMaxPktData + 17, '\0');
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>(i * 131 % 251);
  const std::string wire = Capture([&](PktWriter& w) {
    ASSERT_TRUE(w.WriteText("version=2").ok());
    ASSERT_TRUE(w.WriteData(Bytes("x")).ok());
    ASSERT_TRUE(w.WriteData(Bytes(big)).ok());
    ASSERT_TRUE(w.WriteFlush().ok());
    ASSERT_TRUE(w.WriteText("").ok());
    ASSERT_TRUE(w.WriteFlush().ok());
  });
  Pipe p;
  std::thread feeder = Feed(p, wire);
  PktReader reader(p.read_fd());
  EXPECT_EQ(*reader.ReadText(), "version=2");
  EXPECT_EQ(**reader.Read(), "x");
  std::string joined;
  std::vector<size_t> sizes;
  for (auto packet = reader.Read(); packet.ok() && packet->has_value(); packet = reader.Read()) {
    sizes.push_back((*packet)->size());
    joined += **packet;
  }
  EXPECT_EQ(joined, big);
  EXPECT_EQ(sizes, (std::vector<size_t>{kMaxPktData, kMaxPktData, kMaxPktData, 17}));
  EXPECT_EQ(*reader.ReadTextList(), std::vector<std::string>{""});
  EXPECT_TRUE(*reader.AtEof());
  EXPECT_EQ(reader.Read().status().code(), Code::kIO);  // end of input
  feeder.join();
}

TEST(PktLineTest, ReadTextKeepsLinesWithoutNewlineAndOnlyDropsOne) {
  Pipe p;
  std::thread feeder = Feed(p, "0007abc0009two\n\n0000");
  PktReader reader(p.read_fd());
  EXPECT_EQ(*reader.ReadTextList(), (std::vector<std::string>{"abc", "two\n"}));
  feeder.join();
}

TEST(PktLineTest, MalformedLengthsAreCorruptAndSticky) {
  for (const char* wire : {"zz12data", "0001", "0002", "0003", "fff1", "ffff", "00-5x", "\x80\x00\x00\x00"}) {
    Pipe p;
    std::thread feeder = Feed(p, std::string(wire, 4));
    PktReader reader(p.read_fd());
    auto packet = reader.Read();
    EXPECT_EQ(packet.status().code(), Code::kCorrupt) << wire;
    EXPECT_EQ(packet.status().message().find('\n'), std::string::npos);
    EXPECT_EQ(reader.Read().status().code(), Code::kCorrupt) << "sticky";
    EXPECT_EQ(reader.AtEof().status().code(), Code::kCorrupt);
    feeder.join();
  }
}

TEST(PktLineTest, AcceptsTheLargestPacketAndUppercaseHex) {
  Pipe p;
  std::thread feeder = Feed(p, "fff0" + std::string(kMaxPktData, 'q') + "000Ahello\n");
  PktReader reader(p.read_fd());
  EXPECT_EQ((*reader.Read())->size(), kMaxPktData);
  EXPECT_EQ(*reader.ReadText(), "hello");
  feeder.join();
}

TEST(PktLineTest, TruncatedPacketIsIO) {
  Pipe p;
  std::thread feeder = Feed(p, "000ahel");
  PktReader reader(p.read_fd());
  EXPECT_FALSE(*reader.AtEof());
  auto packet = reader.Read();
  EXPECT_EQ(packet.status().code(), Code::kIO);
  EXPECT_NE(packet.status().message().find("middle of a packet"), std::string::npos) << packet.status().message();
  feeder.join();
}

TEST(PktLineTest, TextListOverTheLimitIsLimit) {
  std::string wire;
  for (int i = 0; i < 5; ++i) wire += "0006a\n";
  Pipe p;
  std::thread feeder = Feed(p, wire + "0000");
  PktReader reader(p.read_fd());
  EXPECT_EQ(reader.ReadTextList(4).status().code(), Code::kLimit);
  feeder.join();
}

TEST(PktLineTest, TooLongTextIsRefused) {
  Pipe p;
  PktWriter writer(p.write_fd());
  EXPECT_EQ(writer.WriteText(std::string(kMaxPktData, 'a')).code(), Code::kInvalidArgument);
  EXPECT_TRUE(writer.WriteText(std::string(kMaxPktData - 1, 'a')).ok());
}

TEST(PktLineTest, ClosedReaderGivesIOInsteadOfSigpipe) {
  Pipe p;
  p.CloseRead();
  PktWriter writer(p.write_fd());
  ASSERT_TRUE(writer.WriteText("status=success").ok());  // buffered
  Status flushed = writer.WriteFlush();
  EXPECT_EQ(flushed.code(), Code::kIO);
  EXPECT_NE(flushed.message().find("closed the pipe"), std::string::npos) << flushed.message();
  std::string big(2 * kMaxPktData, 'b');
  EXPECT_EQ(writer.WriteData(Bytes(big)).code(), Code::kIO);  // sticky, and still alive
  sigset_t pending;
  sigpending(&pending);
  EXPECT_EQ(sigismember(&pending, SIGPIPE), 0) << "the SIGPIPE was swallowed";
}

}  // namespace
}  // namespace gitmodel
