#include "store/filter_protocol.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <thread>
#include <vector>

namespace gitmodel {
namespace {

std::span<const std::byte> Bytes(std::string_view s) { return std::as_bytes(std::span(s.data(), s.size())); }

std::array<int, 2> MakePipe() {
  std::array<int, 2> fds{-1, -1};
  EXPECT_EQ(pipe(fds.data()), 0);
  return fds;
}

void CloseFd(int& fd) {
  if (fd >= 0) close(fd);
  fd = -1;
}

// Plays git against RunFilterProcess, which runs on a thread and talks over two pipes as it would
// to git. The test thread writes requests with git_out() and reads replies with git_in().
class FilterSession {
 public:
  explicit FilterSession(FilterHandler handler) {
    FilterProcessOptions options;
    options.on_error = [this](const FilterRequest& request, const Status& status) {
      errors_.push_back(request.pathname + ": " + status.message());
      error_codes_.push_back(status.code());
    };
    filter_ = std::thread([this, handler = std::move(handler), options] {
      result_ = RunFilterProcess(to_filter_[0], from_filter_[1], handler, options);
      CloseFd(from_filter_[1]);  // as the process exits
    });
  }
  ~FilterSession() {
    CloseFd(to_filter_[1]);
    CloseFd(from_filter_[0]);  // a filter still writing gets EPIPE instead of blocking
    if (filter_.joinable()) filter_.join();
    CloseFd(to_filter_[0]);
  }

  PktWriter& git_out() { return git_out_; }
  PktReader& git_in() { return git_in_; }
  void WriteRaw(std::string_view bytes) { ASSERT_EQ(write(to_filter_[1], bytes.data(), bytes.size()), ssize_t(bytes.size())); }
  void CloseReplyPipe() { CloseFd(from_filter_[0]); }

  // Closes git's end of the request pipe (git is done) and returns what RunFilterProcess returned.
  Status Finish() {
    CloseFd(to_filter_[1]);
    filter_.join();
    return result_;
  }
  // What on_error received ("path: message"); read after Finish.
  const std::vector<std::string>& errors() const { return errors_; }
  const std::vector<Code>& error_codes() const { return error_codes_; }

 private:
  std::array<int, 2> to_filter_ = MakePipe();
  std::array<int, 2> from_filter_ = MakePipe();
  PktWriter git_out_{to_filter_[1]};
  PktReader git_in_{from_filter_[0]};
  std::vector<std::string> errors_;
  std::vector<Code> error_codes_;
  Status result_;
  std::thread filter_;
};

void SendLines(PktWriter& out, const std::vector<std::string>& lines) {
  for (const std::string& line : lines) ASSERT_TRUE(out.WriteText(line).ok());
  ASSERT_TRUE(out.WriteFlush().ok());
}

std::vector<std::string> ReadList(PktReader& in) {
  auto lines = in.ReadTextList();
  EXPECT_TRUE(lines.ok()) << lines.status().message();
  return lines.ok() ? *lines : std::vector<std::string>{"<read failed>"};
}

// git's side of the handshake, offering clean, smudge and delay; checks the filter's answers.
void Handshake(FilterSession& git) {
  SendLines(git.git_out(), {"git-filter-client", "version=2"});
  SendLines(git.git_out(), {"capability=clean", "capability=smudge", "capability=delay"});
  EXPECT_EQ(ReadList(git.git_in()), (std::vector<std::string>{"git-filter-server", "version=2"}));
  EXPECT_EQ(ReadList(git.git_in()), (std::vector<std::string>{"capability=clean", "capability=smudge"}));
}

void SendRequest(FilterSession& git, const std::vector<std::string>& headers, std::string_view content) {
  SendLines(git.git_out(), headers);
  ASSERT_TRUE(git.git_out().WriteData(Bytes(content)).ok());
  ASSERT_TRUE(git.git_out().WriteFlush().ok());
}

struct Reply {
  std::vector<std::string> status;        // the first list
  std::string content;                    // only after "status=success"
  std::vector<size_t> packet_sizes;
  std::vector<std::string> final_status;  // the list after the content
};

Reply ReadReply(FilterSession& git) {
  Reply reply;
  reply.status = ReadList(git.git_in());
  if (reply.status != std::vector<std::string>{"status=success"}) return reply;
  for (auto packet = git.git_in().Read(); packet.ok() && packet->has_value(); packet = git.git_in().Read()) {
    reply.packet_sizes.push_back((*packet)->size());
    reply.content += **packet;
  }
  reply.final_status = ReadList(git.git_in());
  return reply;
}

Reply Request(FilterSession& git, const std::string& command, const std::string& path, std::string_view content) {
  SendRequest(git, {"command=" + command, "pathname=" + path}, content);
  return ReadReply(git);
}

Result<std::string> ReadAll(FilterInput& in) {
  std::string all;
  std::byte chunk[7000];  // not a packet size on purpose
  for (;;) {
    GM_ASSIGN_OR_RETURN(size_t n, in.Read(chunk));
    if (n == 0) return all;
    all.append(reinterpret_cast<const char*>(chunk), n);
  }
}

// clean: upper case; smudge: lower case. Fails for paths starting with "bad".
Status CaseHandler(const FilterRequest& request, FilterInput& in, FilterOutput& out) {
  GM_ASSIGN_OR_RETURN(std::string text, ReadAll(in));
  if (request.pathname.starts_with("bad")) return Corrupt("{} is not a checkpoint", request.pathname);
  for (char& c : text) c = static_cast<char>(request.command == "clean" ? std::toupper(c) : std::tolower(c));
  return out.Write(Bytes(text));
}

std::string Pattern(size_t size) {
  std::string s(size, '\0');
  for (size_t i = 0; i < size; ++i) s[i] = static_cast<char>((i * 7919) >> 3);
  return s;
}

TEST(FilterProtocolTest, HandshakeClaimsOnlyOfferedCapabilitiesAndNeverDelay) {
  FilterSession git(CaseHandler);
  SendLines(git.git_out(), {"git-filter-client", "version=2", "version=3"});
  SendLines(git.git_out(), {"capability=smudge", "capability=delay", "capability=frobnicate"});
  EXPECT_EQ(ReadList(git.git_in()), (std::vector<std::string>{"git-filter-server", "version=2"}));
  EXPECT_EQ(ReadList(git.git_in()), (std::vector<std::string>{"capability=smudge"}));
  EXPECT_TRUE(git.Finish().ok());
}

TEST(FilterProtocolTest, BadWelcomeOrVersionIsCorrupt) {
  for (const auto& welcome : std::vector<std::vector<std::string>>{
           {"git-filter-clint", "version=2"}, {"git-filter-client", "version=3"}, {}}) {
    FilterSession git(CaseHandler);
    SendLines(git.git_out(), welcome);
    Status result = git.Finish();
    EXPECT_EQ(result.code(), Code::kCorrupt) << result.message();
    EXPECT_NE(result.message().find("handshake"), std::string::npos) << result.message();
  }
}

TEST(FilterProtocolTest, EndOfInputBeforeTheHandshakeIsIO) {
  FilterSession git(CaseHandler);
  EXPECT_EQ(git.Finish().code(), Code::kIO);
}

TEST(FilterProtocolTest, CleansAndSmudgesSmallContent) {
  FilterSession git(CaseHandler);
  Handshake(git);
  Reply clean = Request(git, "clean", "model.pt", "Hello");
  EXPECT_EQ(clean.status, std::vector<std::string>{"status=success"});
  EXPECT_EQ(clean.content, "HELLO");
  EXPECT_TRUE(clean.final_status.empty());
  Reply smudge = Request(git, "smudge", "model.pt", "Hello");
  EXPECT_EQ(smudge.content, "hello");
  Reply empty = Request(git, "clean", "empty.pt", "");
  EXPECT_EQ(empty.status, std::vector<std::string>{"status=success"});
  EXPECT_EQ(empty.content, "");
  EXPECT_TRUE(empty.final_status.empty());
  EXPECT_TRUE(git.Finish().ok());  // git closed the pipe between requests: the normal end
  EXPECT_TRUE(*git.git_in().AtEof()) << "nothing after the last reply";
}

// Writes what it read back in awkward pieces; the reply must still be full-size packets.
Status EchoInPieces(const FilterRequest&, FilterInput& in, FilterOutput& out) {
  GM_ASSIGN_OR_RETURN(std::string all, ReadAll(in));
  std::span<const std::byte> rest = Bytes(all);
  for (size_t piece : {size_t{1}, size_t{70000}, kMaxPktData, size_t{3}, 3 * kMaxPktData + 5}) {
    const size_t n = std::min(piece, rest.size());
    GM_RETURN_IF_ERROR(out.Write(rest.first(n)));
    rest = rest.subspan(n);
  }
  return out.Write(rest);
}

TEST(FilterProtocolTest, StreamsMultiPacketContentInFullPackets) {
  FilterSession git(EchoInPieces);
  Handshake(git);
  const std::string content = Pattern(5 * 1024 * 1024 + 123);
  Reply reply = Request(git, "clean", "big.pt", content);
  ASSERT_EQ(reply.content.size(), content.size());
  EXPECT_TRUE(reply.content == content);
  ASSERT_FALSE(reply.packet_sizes.empty());
  EXPECT_EQ(reply.packet_sizes.size(), (content.size() + kMaxPktData - 1) / kMaxPktData);
  EXPECT_TRUE(std::all_of(reply.packet_sizes.begin(), reply.packet_sizes.end() - 1, [](size_t n) { return n == kMaxPktData; }));
  EXPECT_EQ(Request(git, "smudge", "small.pt", "ok").content, "ok");
  EXPECT_TRUE(git.Finish().ok());
}

TEST(FilterProtocolTest, ParsesRequestArguments) {
  std::vector<FilterRequest> seen;
  FilterSession git([&](const FilterRequest& request, FilterInput& in, FilterOutput& out) {
    seen.push_back(request);
    return in.Drain();
  });
  Handshake(git);
  SendRequest(git,
              {"command=smudge", "pathname=dir/with space/m.pt", "ref=refs/heads/main", "treeish=0123abcd", "blob=89ab",
               "odd=a=b="},
              "x");
  EXPECT_EQ(ReadReply(git).status, std::vector<std::string>{"status=success"});
  ASSERT_TRUE(git.Finish().ok());
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].command, "smudge");
  EXPECT_EQ(seen[0].pathname, "dir/with space/m.pt");
  EXPECT_EQ(seen[0].args, (std::map<std::string, std::string>{
                              {"blob", "89ab"}, {"odd", "a=b="}, {"ref", "refs/heads/main"}, {"treeish", "0123abcd"}}));
}

TEST(FilterProtocolTest, FailureBeforeWritingIsStatusErrorAndTheProcessGoesOn) {
  FilterSession git(CaseHandler);
  Handshake(git);
  Reply bad = Request(git, "clean", "bad.pt", Pattern(200000));
  EXPECT_EQ(bad.status, std::vector<std::string>{"status=error"});
  EXPECT_TRUE(bad.content.empty());
  EXPECT_EQ(Request(git, "clean", "good.pt", "abc").content, "ABC");
  ASSERT_TRUE(git.Finish().ok());
  EXPECT_EQ(git.errors(), std::vector<std::string>{"bad.pt: bad.pt is not a checkpoint"});
  EXPECT_EQ(git.error_codes(), std::vector<Code>{Code::kCorrupt});
}

TEST(FilterProtocolTest, FailureAfterWritingTurnsTheFinalStatusToError) {
  FilterSession git([](const FilterRequest&, FilterInput& in, FilterOutput& out) -> Status {
    GM_ASSIGN_OR_RETURN(std::string all, ReadAll(in));
    GM_RETURN_IF_ERROR(out.Write(Bytes(all.substr(0, 100000))));
    return IOError("disk full");
  });
  Handshake(git);
  const std::string content = Pattern(300000);
  Reply reply = Request(git, "smudge", "m.pt", content);
  EXPECT_EQ(reply.status, std::vector<std::string>{"status=success"});
  EXPECT_TRUE(reply.content == content.substr(0, 100000));
  EXPECT_EQ(reply.final_status, std::vector<std::string>{"status=error"});
  ASSERT_TRUE(git.Finish().ok());
  EXPECT_EQ(git.errors(), std::vector<std::string>{"m.pt: disk full"});
}

TEST(FilterProtocolTest, InputAHandlerLeftIsDrained) {
  FilterSession git([](const FilterRequest& request, FilterInput&, FilterOutput&) {
    return request.pathname == "fail.pt" ? IOError("gave up") : OkStatus();
  });
  Handshake(git);
  EXPECT_EQ(Request(git, "clean", "fail.pt", Pattern(3 * 1024 * 1024)).status, std::vector<std::string>{"status=error"});
  Reply ignored = Request(git, "clean", "ok.pt", Pattern(1024 * 1024));
  EXPECT_EQ(ignored.status, std::vector<std::string>{"status=success"});
  EXPECT_EQ(ignored.content, "");
  EXPECT_EQ(Request(git, "clean", "ok.pt", "").status, std::vector<std::string>{"status=success"});
  EXPECT_TRUE(git.Finish().ok());
}

TEST(FilterProtocolTest, WritingBeforeReadingAllInputIsRefused) {
  FilterSession git([](const FilterRequest& request, FilterInput& in, FilterOutput& out) -> Status {
    std::byte first[3];
    if (request.pathname == "exact.pt") GM_RETURN_IF_ERROR(in.Read(first).status());  // all 3 bytes
    return out.Write(Bytes("reply"));
  });
  Handshake(git);
  EXPECT_EQ(Request(git, "smudge", "early.pt", "content").status, std::vector<std::string>{"status=error"});
  EXPECT_EQ(Request(git, "smudge", "exact.pt", "abc").content, "reply");  // the end is peeked at
  ASSERT_TRUE(git.Finish().ok());
  EXPECT_EQ(git.error_codes(), std::vector<Code>{Code::kInvalidArgument});
}

TEST(FilterProtocolTest, UnknownCommandOrNoPathnameIsStatusError) {
  int calls = 0;
  FilterSession git([&](const FilterRequest& request, FilterInput& in, FilterOutput& out) {
    ++calls;
    return CaseHandler(request, in, out);
  });
  Handshake(git);
  EXPECT_EQ(Request(git, "frobnicate", "m.pt", Pattern(100000)).status, std::vector<std::string>{"status=error"});
  SendRequest(git, {"command=clean"}, "x");
  EXPECT_EQ(ReadReply(git).status, std::vector<std::string>{"status=error"});
  EXPECT_EQ(Request(git, "clean", "m.pt", "a").content, "A");
  ASSERT_TRUE(git.Finish().ok());
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(git.error_codes(), (std::vector<Code>{Code::kUnsupported, Code::kInvalidArgument}));
}

TEST(FilterProtocolTest, EndOfInputInsideARequestIsIO) {
  for (std::string_view cut : {"0012command=clean\n", "0012command=clean\n000fpathname=a\n00000008data", "0008da"}) {
    FilterSession git(CaseHandler);
    Handshake(git);
    git.WriteRaw(cut);
    Status result = git.Finish();
    EXPECT_EQ(result.code(), Code::kIO) << cut << ": " << result.message();
  }
}

TEST(FilterProtocolTest, MalformedPacketsAreCorrupt) {
  for (std::string_view garbage : {"zzzz", "0002", "fff1", "0001"}) {
    FilterSession git(CaseHandler);
    Handshake(git);
    SendLines(git.git_out(), {"command=clean", "pathname=m.pt"});
    git.WriteRaw("0008data");
    git.WriteRaw(garbage);
    Status result = git.Finish();
    EXPECT_EQ(result.code(), Code::kCorrupt) << garbage << ": " << result.message();
    EXPECT_EQ(git.errors().size(), 1u) << "the handler saw the broken stream";
  }
}

TEST(FilterProtocolTest, MalformedRequestHeadersAreCorrupt) {
  const std::vector<std::vector<std::string>> headers = {
      {"command=clean", "pathname=a", "no-equals-sign"},
      {"pathname=a"},
      {"command=clean", "=value", "pathname=a"},
      {"command=clean", "pathname=a", "pathname=b"},
      {"command=clean", "pathname=a", "ref=x", "ref=y"}};
  for (const auto& lines : headers) {
    FilterSession git(CaseHandler);
    Handshake(git);
    SendRequest(git, lines, "x");
    Status result = git.Finish();
    EXPECT_EQ(result.code(), Code::kCorrupt) << lines.back() << ": " << result.message();
  }
}

TEST(FilterProtocolTest, TooManyHeaderLinesIsLimit) {
  FilterSession git(CaseHandler);
  Handshake(git);
  std::vector<std::string> lines = {"command=clean", "pathname=a"};
  for (size_t i = lines.size(); i <= kMaxTextListLines; ++i) lines.push_back(fmt::format("k{}=v", i));
  SendRequest(git, lines, "x");
  EXPECT_EQ(git.Finish().code(), Code::kLimit);
}

TEST(FilterProtocolTest, GitClosingTheReplyPipeIsIOAndNoSignal) {
  FilterSession git(EchoInPieces);
  Handshake(git);
  git.CloseReplyPipe();
  SendRequest(git, {"command=smudge", "pathname=m.pt"}, Pattern(1024 * 1024));
  Status result = git.Finish();
  EXPECT_EQ(result.code(), Code::kIO) << result.message();
}

TEST(FilterProtocolTest, ReadingIntoNothingIsInvalidArgument) {
  FilterSession git([](const FilterRequest&, FilterInput& in, FilterOutput&) { return in.Read({}).status(); });
  Handshake(git);
  EXPECT_EQ(Request(git, "clean", "m.pt", "x").status, std::vector<std::string>{"status=error"});
  ASSERT_TRUE(git.Finish().ok());
  EXPECT_EQ(git.error_codes(), std::vector<Code>{Code::kInvalidArgument});
}

}  // namespace
}  // namespace gitmodel
