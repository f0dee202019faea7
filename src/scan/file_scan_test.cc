#include "scan/file_scan.h"

#include <gtest/gtest.h>

#include <cstring>

#include "formats/testing/zip_builder.h"

namespace gitmodel {
namespace {

using namespace std::string_literals;

using testutil::ToBytes;
using testutil::ZipAddOptions;
using testutil::ZipBuilder;

const std::string kEvalPickle = std::string("\x80\x02") + "cbuiltins\neval\nX\x01\x00\x00\x00" "1\x85R."s;
const std::string kCleanPickle = std::string("\x80\x02") + "ccollections\nOrderedDict\n)R.";

FileReport Scan(std::span<const std::byte> bytes) {
  static ImportPolicy policy;
  FileScanOptions o;
  o.policy = &policy;
  return ScanBytes(bytes, "f", o);
}

size_t Count(const FileReport& r, Severity s) {
  size_t n = 0;
  for (const Finding& f : r.findings) n += f.severity == s;
  return n;
}

TEST(FileScanTest, ZipMemberWithOddNameAndMismatchedLocalName) {
  ZipBuilder z;
  z.Add("archive/data.pkl", kCleanPickle);
  z.Add("archive/notes.txt", kEvalPickle, ZipAddOptions{.deflate = true});
  z.Add("archive/other.pkl", kEvalPickle, ZipAddOptions{.local_name = "archive/other.lkp"});
  auto r = Scan(z.Finish());
  EXPECT_EQ(r.format, "zip");
  EXPECT_EQ(r.pickles, 3u);
  ASSERT_EQ(Count(r, Severity::kCritical), 2u);
  EXPECT_TRUE(r.HasCritical());
}

TEST(FileScanTest, StorageRecordsAreNotPicklesButNestedZipsAre) {
  ZipBuilder inner;
  inner.Add("m/data.pkl", kEvalPickle);
  auto inner_bytes = inner.Finish();
  ZipBuilder z;
  z.Add("archive/data.pkl", kCleanPickle);
  z.Add("archive/data/0", kEvalPickle);  // raw tensor bytes for torch: never unpickled
  z.Add("archive/extra/model.pt2", inner_bytes);
  auto r = Scan(z.Finish());
  ASSERT_EQ(Count(r, Severity::kCritical), 1u);
  for (const Finding& f : r.findings) {
    if (f.severity == Severity::kCritical) { EXPECT_EQ(f.member, "archive/extra/model.pt2!m/data.pkl"); }
  }
}

TEST(FileScanTest, TorchScriptCodeIsListedNotCritical) {
  ZipBuilder z;
  z.Add("m/data.pkl", std::string("\x80\x02") + "c__torch__.Net\nNet\n)\x81.");
  z.Add("m/code/__torch__/net.py", "class Net(Module):\n  __parameters__ = []\n");
  z.Add("m/constants.pkl", std::string("\x80\x02).")); 
  auto r = Scan(z.Finish());
  EXPECT_FALSE(r.HasCritical());
  ASSERT_EQ(Count(r, Severity::kCode), 1u);
  for (const Finding& f : r.findings) {
    if (f.severity == Severity::kCode) { EXPECT_NE(f.message.find("m/code/__torch__/net.py"), std::string::npos); }
  }
}

TEST(FileScanTest, StackedPicklesAreAllScanned) {
  std::string legacy_like = kCleanPickle + std::string("\x80\x02M\xe9\x03.") + kEvalPickle + "\n\n";
  auto r = Scan(ToBytes(legacy_like));
  EXPECT_EQ(r.pickles, 3u);
  EXPECT_TRUE(r.HasCritical());
}

TEST(FileScanTest, NpyObjectArrayHoldsAPickle) {
  std::string header = "{'descr': '|O', 'fortran_order': False, 'shape': (1,), }";
  header.resize(118, ' ');
  header += '\n';
  std::string npy = std::string("\x93NUMPY\x01\x00", 8) + static_cast<char>(header.size()) + '\0' + header + kEvalPickle;
  auto r = Scan(ToBytes(npy));
  EXPECT_EQ(r.format, "npy");
  EXPECT_TRUE(r.HasCritical());
}

TEST(FileScanTest, GarbageIsNotFlagged) {
  auto r = Scan(ToBytes("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"s));
  EXPECT_FALSE(r.HasCritical());
  EXPECT_TRUE(Scan(ToBytes("")).findings.size() == 1u);
  EXPECT_EQ(Scan(ToBytes("\x04\0\0\0\0\0\0\0{}  "s)).format, "safetensors");
}

}  // namespace
}  // namespace gitmodel
