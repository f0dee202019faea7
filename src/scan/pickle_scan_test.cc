#include "scan/pickle_scan.h"

#include <gtest/gtest.h>

#include <string>

namespace gitmodel {
namespace {

using namespace std::string_literals;

std::span<const std::byte> Bytes(const std::string& s) { return {reinterpret_cast<const std::byte*>(s.data()), s.size()}; }

struct Scanned {
  PickleScanOutcome outcome;
  std::vector<Finding> findings;
  size_t Count(Severity s) const {
    size_t n = 0;
    for (const Finding& f : findings) n += f.severity == s;
    return n;
  }
  const Finding* First(Severity s) const {
    for (const Finding& f : findings)
      if (f.severity == s) return &f;
    return nullptr;
  }
};

Scanned Scan(const std::string& pickle, bool torchscript = false) {
  static ImportPolicy policy;
  PickleScanOptions o;
  o.policy = &policy;
  o.member = "data.pkl";
  o.torchscript = torchscript;
  Scanned s;
  s.outcome = ScanPickle(Bytes(pickle), o, &s.findings);
  return s;
}

// SHORT_BINUNICODE of `s` (protocol 4).
std::string U(const std::string& s) { return std::string("\x8c") + static_cast<char>(s.size()) + s; }

TEST(PickleScanTest, GlobalOsSystemIsCriticalWithItsOffset) {
  auto s = Scan(std::string("\x80\x02") + "cos\nsystem\nX\x02\x00\x00\x00id\x85R."s);
  ASSERT_TRUE(s.outcome.reached_stop);
  ASSERT_EQ(s.Count(Severity::kCritical), 1u);
  EXPECT_EQ(s.First(Severity::kCritical)->import, "os.system");
  EXPECT_EQ(s.First(Severity::kCritical)->offset, 2u);
  EXPECT_EQ(s.First(Severity::kCritical)->member, "data.pkl");
}

TEST(PickleScanTest, StackGlobalFromMemoIsResolved) {
  // 'os' and 'system' stored in memo slots, overwritten decoys, then fetched back (malicious11).
  auto s = Scan("Vos\np2\n0Vsystem\np3\n0Vtorch\np0\n0VLongStorage\np1\n0g2\ng3\n\x93(Vid\ntR.");
  ASSERT_EQ(s.Count(Severity::kCritical), 1u);
  EXPECT_EQ(s.First(Severity::kCritical)->import, "os.system");
}

TEST(PickleScanTest, StackGlobalOfUnresolvableOperandIsCritical) {
  // Module name from a missing memo slot (the KeyError trick).
  auto s = Scan("\x80\x04" + U("system") + "\x94h\x07h\x00\x93N\x85R."s);
  ASSERT_EQ(s.Count(Severity::kCritical), 1u);
  EXPECT_NE(s.First(Severity::kCritical)->message.find("cannot resolve"), std::string::npos);
  // Module operand that is a call's result (concatenation at load time).
  auto t = Scan("\x80\x04" + U("builtins") + U("str") + "\x93" + U("o") + U("s") + "\x86R" + U("system") + "\x93.");
  EXPECT_GE(t.Count(Severity::kCritical), 1u);
}

TEST(PickleScanTest, BenignTorchRebuildIsClean) {
  std::string p = "\x80\x02" "ccollections\nOrderedDict\nq\x00)Rq\x01X\x01\x00\x00\x00wq\x02"s
                  "ctorch._utils\n_rebuild_tensor_v2\nq\x03((X\x07\x00\x00\x00storageq\x04" "ctorch\nFloatStorage\nq\x05"s
                  "X\x01\x00\x00\x00" "0X\x03\x00\x00\x00" "cpuK\x04tQK\x00K\x04\x85K\x01\x85\x89h\x00)Rtq\x06Rq\x07s."s;
  auto s = Scan(p);
  EXPECT_TRUE(s.outcome.reached_stop) << s.outcome.error;
  EXPECT_TRUE(s.findings.empty()) << s.findings[0].message;
}

TEST(PickleScanTest, NumpyArraysAndScalarsAreAllowed) {
  auto s = Scan("\x80\x03" "cnumpy.core.multiarray\n_reconstruct\ncnumpy\nndarray\nK\x00\x85" "C\x01" "b\x87R"s
                "cnumpy\ndtype\nX\x02\x00\x00\x00" "f8\x85R0" "cnumpy.core.multiarray\nscalar\n0."s);
  EXPECT_TRUE(s.outcome.reached_stop) << s.outcome.error;
  EXPECT_TRUE(s.findings.empty());
}

TEST(PickleScanTest, Protocol0InstIsJudged) {
  auto s = Scan("(S'ls'\nisubprocess\nPopen\np0\n.");
  ASSERT_EQ(s.Count(Severity::kCritical), 1u);
  EXPECT_EQ(s.First(Severity::kCritical)->import, "subprocess.Popen");
  auto u = Scan("(imymodel.nets\nNet\np0\n.");
  EXPECT_EQ(u.Count(Severity::kCritical), 0u);
  ASSERT_EQ(u.Count(Severity::kUnknown), 1u);
  EXPECT_EQ(u.First(Severity::kUnknown)->import, "mymodel.nets.Net");
}

TEST(PickleScanTest, GetattrOnAnEnumClassIsTheMember) {
  auto s = Scan("\x80\x04" "cbuiltins\ngetattr\n" "ctransformers.trainer_utils\nIntervalStrategy\n" + U("STEPS") + "\x86R.");
  EXPECT_EQ(s.Count(Severity::kCritical), 0u);
  EXPECT_TRUE(s.findings.empty());
  auto bad = Scan("\x80\x04" "cbuiltins\ngetattr\n" "cpathlib\nPath\n" + U("write_text") + "\x86R.");
  ASSERT_EQ(bad.Count(Severity::kCritical), 1u);
  EXPECT_EQ(bad.First(Severity::kCritical)->import, "pathlib.Path.write_text");
  auto unresolved = Scan("\x80\x04" "cbuiltins\ngetattr\n.");
  EXPECT_EQ(unresolved.Count(Severity::kCritical), 1u);
}

TEST(PickleScanTest, PayloadBeforeBrokenTailIsReported) {
  auto s = Scan("cbuiltins\nexec\n(X>\x00\x00\x00print(1)"s);
  EXPECT_FALSE(s.outcome.reached_stop);
  EXPECT_FALSE(s.outcome.error.empty());
  EXPECT_EQ(s.Count(Severity::kCritical), 1u);
}

TEST(PickleScanTest, BuildOnAnImportedModuleIsCritical) {
  auto s = Scan("\x80\x04" + U("torch") + U("_utils") + "\x93}" + U("x") + U("y") + "sb.");
  EXPECT_GE(s.Count(Severity::kCritical), 1u);
}

TEST(PickleScanTest, TorchScriptClassesAreTheArchivesOwn) {
  std::string p = "\x80\x02" "c__torch__.vad\nModel\n)\x81}b.";
  EXPECT_TRUE(Scan(p, true).findings.empty());
  EXPECT_EQ(Scan(p, false).Count(Severity::kUnknown), 1u);
}

TEST(PickleScanTest, NotAPickleAndHostileInputsStopCleanly) {
  EXPECT_TRUE(Scan("\x00\x01\x02"s).outcome.not_a_pickle);
  EXPECT_FALSE(Scan(std::string(100000, '(')).outcome.reached_stop);
  EXPECT_FALSE(Scan("\x80\x02\x8d\xff\xff\xff\xff\xff\xff\xff\xff").outcome.reached_stop);
  EXPECT_FALSE(Scan("\x82").outcome.reached_stop);
  EXPECT_EQ(Scan("\x82\x05.").Count(Severity::kCritical), 1u);  // EXT1: unresolvable import
}

}  // namespace
}  // namespace gitmodel
