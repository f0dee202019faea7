#include "inspect/textconv_text.h"

#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <vector>

#include "base/sha256.h"
#include "formats/testing/corpus.h"
#include "formats/testing/safetensors_builder.h"
#include "provenance/testing/temp_dir.h"

namespace gitmodel {
namespace {

using testutil::SafetensorsBuilder;

std::vector<std::byte> Floats(std::vector<float> values) {
  std::vector<std::byte> bytes(values.size() * sizeof(float));
  std::memcpy(bytes.data(), values.data(), bytes.size());
  return bytes;
}

std::string Hash16(const std::vector<std::byte>& bytes) { return ToHex(Sha256Of(bytes)).substr(0, 16); }

class TextconvTextTest : public ::testing::Test {
 protected:
  std::string TextOf(const SafetensorsBuilder& builder, const std::string& name = "m.safetensors") {
    std::string path = (dir_.path() / name).string();
    std::vector<std::byte> bytes = builder.Finish();
    std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    auto ck = Checkpoint::Open(path);
    EXPECT_TRUE(ck.ok()) << ck.status().message();
    return ck.ok() ? TextconvText(**ck) : "";
  }

  testutil::ScratchDir dir_;
};

TEST_F(TextconvTextTest, OneLinePerTensorSortedByName) {
  auto weight = Floats({1, 2, 3, 4});
  auto bias = Floats({0.5, 1.5});
  SafetensorsBuilder b;
  b.Add("layer.weight", "F32", {2, 2}, weight).Add("layer.bias", "F32", {2}, bias);
  std::string text = TextOf(b);
  std::string expected_tensors =
      "git-model textconv v1: safetensors, 2 tensors, 6 parameters\n"
      "layer.bias  float32  [2]  sha256:" + Hash16(bias) + "  mean 1  std 0.5\n"
      "layer.weight  float32  [2, 2]  sha256:" + Hash16(weight) + "  mean 2.5  std 1.11803\n";
  EXPECT_EQ(text.substr(0, expected_tensors.size()), expected_tensors) << text;
  EXPECT_EQ(TextOf(b, "again.bin"), text);  // deterministic, and the file name does not matter
}

TEST_F(TextconvTextTest, AChangedTensorChangesOnlyItsLine) {
  auto bias = Floats({0.5, 1.5});
  SafetensorsBuilder before, after;
  before.Add("a", "F32", {2}, bias).Add("b", "F32", {2}, Floats({1, 2}));
  after.Add("a", "F32", {2}, bias).Add("b", "F32", {2}, Floats({1, 2.5}));
  std::string x = TextOf(before, "x.safetensors"), y = TextOf(after, "y.safetensors");
  auto lines = [](const std::string& s) {
    std::vector<std::string> out;
    for (size_t begin = 0, end; begin < s.size(); begin = end + 1) out.push_back(s.substr(begin, (end = s.find('\n', begin)) - begin));
    return out;
  };
  std::vector<std::string> lx = lines(x), ly = lines(y);
  ASSERT_EQ(lx.size(), ly.size());
  int changed = 0;
  for (size_t i = 0; i < lx.size(); ++i) {
    if (lx[i] == ly[i]) continue;
    ++changed;
    EXPECT_TRUE(lx[i].starts_with("b  float32  [2]  sha256:")) << lx[i];
    EXPECT_NE(ly[i].find("mean 1.75  std 0.75"), std::string::npos) << ly[i];
  }
  EXPECT_EQ(changed, 1);
}

TEST_F(TextconvTextTest, NewlinesInNamesAreEscaped) {
  SafetensorsBuilder b;
  b.Add("evil\nname", "F32", {1}, Floats({1}));
  std::string text = TextOf(b);
  EXPECT_NE(text.find("evil\\nname  float32  [1]"), std::string::npos) << text;
}

TEST_F(TextconvTextTest, NonTensorValuesFollowAsKeyEqualsValue) {
  auto ck = Checkpoint::Open(testutil::CorpusPath("toadgan_lightning_namespace_hparams.ckpt"));
  ASSERT_TRUE(ck.ok()) << ck.status().message();
  std::string text = TextconvText(**ck);
  size_t blank = text.find("\n\n");
  ASSERT_NE(blank, std::string::npos) << text;
  EXPECT_NE(text.find("\nepoch = ", blank), std::string::npos) << text.substr(blank);
  for (size_t begin = blank + 2, end; begin < text.size(); begin = end + 1) {
    end = text.find('\n', begin);
    std::string line = text.substr(begin, end - begin);
    EXPECT_TRUE(line.find(" = ") != std::string::npos || line.ends_with(" =")) << line;
    EXPECT_LE(end - begin, 400u);  // long values are cut
  }
}

TEST_F(TextconvTextTest, AnEmptyStringLeavesNoTrailingBlank) {
  // pickle.dumps({"empty": "", "name": "resnet"}, protocol=2): a plain pickle, no tensors.
  const char kPickle[] = "\x80\x02}q\x00(X\x05\x00\x00\x00" "emptyq\x01X\x00\x00\x00\x00q\x02X\x04\x00\x00\x00"
                         "nameq\x03X\x06\x00\x00\x00" "resnetq\x04u.";
  const std::string pickle(kPickle, sizeof kPickle - 1);
  std::string path = (dir_.path() / "values.pt").string();
  std::ofstream(path, std::ios::binary) << pickle;
  auto ck = Checkpoint::Open(path);
  ASSERT_TRUE(ck.ok()) << ck.status().message();
  EXPECT_EQ(TextconvText(**ck), "git-model textconv v1: pickle, 0 tensors, 0 parameters\n\nempty =\nname = resnet\n");
}

TEST(NotCheckpointText, OneDeterministicLine) {
  std::string empty = NotCheckpointText("empty file", {});
  EXPECT_EQ(empty, "git-model textconv v1: not a checkpoint (empty file), 0 bytes, sha256:e3b0c44298fc1c14\n");
  std::string junk = "not a model\n";
  auto bytes = std::as_bytes(std::span(junk.data(), junk.size()));
  std::vector<std::byte> copy(bytes.begin(), bytes.end());
  EXPECT_EQ(NotCheckpointText("unrecognised format", bytes),
            "git-model textconv v1: not a checkpoint (unrecognised format), 12 bytes, sha256:" + Hash16(copy) + "\n");
}

TEST(NotCheckpointText, TheReasonStaysOnOneShortLine) {
  std::string text = NotCheckpointText("bad\nname\r" + std::string(500, 'x'), {});
  EXPECT_EQ(text.find('\n'), text.size() - 1) << text;
  EXPECT_NE(text.find("(bad\\nname\\rxxx"), std::string::npos) << text;
  EXPECT_NE(text.find("xxx...), 0 bytes"), std::string::npos) << text;
  EXPECT_LT(text.size(), kTextconvMaxReasonChars + 100);
}

}  // namespace
}  // namespace gitmodel
