#include "git/external_diff.h"

#include <gtest/gtest.h>

#include <mutex>
#include <string>
#include <vector>

#include "provenance/testing/temp_dir.h"

namespace gitmodel {
namespace {

using testutil::ScratchDir;
using testutil::WriteTestFile;

std::span<const std::byte> Bytes(std::string_view text) { return std::as_bytes(std::span(text.data(), text.size())); }

std::vector<std::string> Args(std::string path, std::string old_file, std::string new_file) {
  return {path, old_file, "1111111111111111111111111111111111111111", "100644",
          new_file, "0000000000000000000000000000000000000000", "100644"};
}

// Answers every run with `answer` and remembers what it was asked.
class FakeRunner : public ProcessRunner {
 public:
  ProcessResult answer;
  ProcessResult Run(const std::vector<std::string>& argv, const ProcessOptions& options) const override {
    std::lock_guard lock(mu_);
    calls.push_back(argv);
    last_options = options;
    return answer;
  }
  mutable std::vector<std::vector<std::string>> calls;
  mutable ProcessOptions last_options;

 private:
  mutable std::mutex mu_;
};

TEST(ParseExternalDiffCall, SevenOrNineArgumentsTakenVerbatim) {
  auto call = ParseExternalDiffCall(Args("-odd.pth", "/tmp/x/-odd.pth", "-odd.pth"));
  ASSERT_TRUE(call.ok()) << call.status().message();
  EXPECT_EQ(call->path, "-odd.pth");
  EXPECT_EQ(call->new_path, "-odd.pth");
  EXPECT_EQ(call->new_file, "-odd.pth");
  EXPECT_EQ(call->xfrm, "");
  EXPECT_FALSE(call->added());
  EXPECT_FALSE(call->deleted());

  std::vector<std::string> renamed = Args("a.py", "/tmp/x/a.py", "b.py");
  renamed.push_back("b.py");
  renamed.push_back("similarity index 90%\nrename from a.py\nrename to b.py");
  call = ParseExternalDiffCall(renamed);
  ASSERT_TRUE(call.ok());
  EXPECT_EQ(call->new_path, "b.py");
  EXPECT_EQ(call->xfrm, "similarity index 90%\nrename from a.py\nrename to b.py\n");

  for (size_t n : {0, 3, 8, 10}) {
    auto bad = ParseExternalDiffCall(std::vector<std::string>(n, "x"));
    ASSERT_FALSE(bad.ok()) << n;
    EXPECT_EQ(bad.status().code(), Code::kInvalidArgument);
    EXPECT_NE(bad.status().message().find(fmt::format("not {}", n)), std::string::npos) << bad.status().message();
  }
}

TEST(GitDiffHeader, AsGitWritesIt) {
  auto call = *ParseExternalDiffCall(Args("src/a.py", "/tmp/x/a.py", "src/a.py"));
  EXPECT_EQ(GitDiffHeader(call), "diff --git a/src/a.py b/src/a.py\n");
  call.new_mode = "100755";
  EXPECT_EQ(GitDiffHeader(call), "diff --git a/src/a.py b/src/a.py\nold mode 100644\nnew mode 100755\n");
  auto added = *ParseExternalDiffCall({"n.txt", "/dev/null", ".", ".", "n.txt", "0000", "100644"});
  EXPECT_TRUE(added.added());
  EXPECT_EQ(GitDiffHeader(added), "diff --git a/n.txt b/n.txt\nnew file mode 100644\n");
  auto deleted = *ParseExternalDiffCall({"d.txt", "/tmp/x/d.txt", "1111", "100644", "/dev/null", ".", "."});
  EXPECT_EQ(GitDiffHeader(deleted), "diff --git a/d.txt b/d.txt\ndeleted file mode 100644\n");
  auto odd = *ParseExternalDiffCall(Args("tab\there \"q\".txt", "/tmp/x/t", "t"));
  EXPECT_EQ(GitDiffHeader(odd), "diff --git \"a/tab\\there \\\"q\\\".txt\" \"b/tab\\there \\\"q\\\".txt\"\n");
}

TEST(LooksBinary, ANulInTheFirst8000Bytes) {
  EXPECT_FALSE(LooksBinary({}));
  EXPECT_FALSE(LooksBinary(Bytes("plain text\n")));
  std::string text(8000, 'a');
  text += '\0';
  EXPECT_FALSE(LooksBinary(Bytes(text)));  // git looks no further
  text[7999] = '\0';
  EXPECT_TRUE(LooksBinary(Bytes(text)));
}

TEST(TextDiffBody, RunsDiffWithLabelsAndEndOfOptions) {
  FakeRunner runner;
  runner.answer = {.started = true, .exit_code = 1, .out = "--- a/-odd.txt\n+++ b/-odd.txt\n@@ -1 +1 @@\n-a\n+b\n"};
  auto call = *ParseExternalDiffCall(Args("-odd.txt", "/tmp/x/-odd.txt", "-odd.txt"));
  auto body = TextDiffBody(runner, call, Bytes("a\n"), Bytes("b\n"));
  ASSERT_TRUE(body.ok()) << body.status().message();
  EXPECT_EQ(body->text, runner.answer.out);
  EXPECT_FALSE(body->truncated);
  ASSERT_EQ(runner.calls.size(), 1u);
  EXPECT_EQ(runner.calls[0], (std::vector<std::string>{"diff", "-u", "-F", "^[[:alpha:]$_]", "--label", "a/-odd.txt",
                                                       "--label", "b/-odd.txt", "--", "/tmp/x/-odd.txt", "-odd.txt"}));
  EXPECT_EQ(runner.last_options.max_output, kTextDiffMaxOutput);
  EXPECT_EQ(runner.last_options.timeout_ms, kTextDiffTimeoutMs);
}

TEST(TextDiffBody, AddedFilesAreLabelledDevNull) {
  FakeRunner runner;
  runner.answer = {.started = true, .exit_code = 1, .out = "x"};
  auto call = *ParseExternalDiffCall({"n.txt", "/dev/null", ".", ".", "n.txt", "0000", "100644"});
  auto body = TextDiffBody(runner, call, {}, Bytes("new\n"));
  ASSERT_TRUE(body.ok());
  EXPECT_EQ(body->text, "x\n");  // always ends a line, so the next file's header starts one
  EXPECT_EQ(runner.calls.at(0)[5], "/dev/null");
  EXPECT_EQ(runner.calls.at(0)[7], "b/n.txt");
}

TEST(TextDiffBody, EqualOrBinaryContentRunsNothing) {
  FakeRunner runner;
  auto call = *ParseExternalDiffCall(Args("m.bin", "/tmp/x/m.bin", "m.bin"));
  auto same = TextDiffBody(runner, call, Bytes("abc"), Bytes("abc"));
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->text, "");
  auto binary = TextDiffBody(runner, call, Bytes(std::string_view("a\0b", 3)), Bytes("text"));
  ASSERT_TRUE(binary.ok());
  EXPECT_EQ(binary->text, "Binary files a/m.bin and b/m.bin differ\n");
  auto deleted = *ParseExternalDiffCall({"m.bin", "/tmp/x/m.bin", "1111", "100644", "/dev/null", ".", "."});
  EXPECT_EQ(TextDiffBody(runner, deleted, Bytes(std::string_view("\0", 1)), {})->text,
            "Binary files a/m.bin and /dev/null differ\n");
  EXPECT_TRUE(runner.calls.empty());
}

TEST(TextDiffBody, DiffFailuresAreErrors) {
  FakeRunner runner;
  auto call = *ParseExternalDiffCall(Args("a.txt", "/tmp/x/a.txt", "a.txt"));
  runner.answer = {};  // not started
  EXPECT_EQ(TextDiffBody(runner, call, Bytes("a"), Bytes("b")).status().code(), Code::kNotFound);
  runner.answer = {.started = true, .exit_code = 2, .out = ""};
  auto failed = TextDiffBody(runner, call, Bytes("a"), Bytes("b"));
  EXPECT_EQ(failed.status().code(), Code::kIO);
  EXPECT_NE(failed.status().message().find("a.txt"), std::string::npos);
  runner.answer = {.started = true, .exit_code = 137, .timed_out = true, .out = ""};
  EXPECT_EQ(TextDiffBody(runner, call, Bytes("a"), Bytes("b")).status().code(), Code::kIO);
  runner.answer = {.started = true, .exit_code = 1, .out = "partial", .truncated = true};
  auto cut = TextDiffBody(runner, call, Bytes("a"), Bytes("b"));
  ASSERT_TRUE(cut.ok());
  EXPECT_TRUE(cut->truncated);
}

TEST(TextDiffBody, RealDiffWithGitsFunctionContext) {
  ScratchDir dir;
  const std::string before = "def f():\n  1\n  2\n  3\n  4\n  5\n  6\n";
  const std::string after = "def f():\n  1\n  2\n  3\n  4\n  five\n  6\n";
  WriteTestFile(dir.path() / "old" / "-odd.py", before);
  WriteTestFile(dir.path() / "-odd.py", after);
  auto call = *ParseExternalDiffCall(Args("-odd.py", (dir.path() / "old" / "-odd.py").string(), "-odd.py"));
  call.new_file = (dir.path() / "-odd.py").string();
  auto body = TextDiffBody(RealProcessRunner(), call, Bytes(before), Bytes(after));
  ASSERT_TRUE(body.ok()) << body.status().message();
  EXPECT_EQ(body->text,
            "--- a/-odd.py\n+++ b/-odd.py\n@@ -3,5 +3,5 @@ def f():\n   2\n   3\n   4\n-  5\n+  five\n   6\n");
}

}  // namespace
}  // namespace gitmodel
