#include "signing/public_key_line.h"

#include <gtest/gtest.h>

namespace gitmodel {
namespace {

PublicKeyEntry Entry(uint8_t fill, std::string comment) {
  PublicKeyEntry e;
  e.key.fill(fill);
  e.comment = std::move(comment);
  return e;
}

TEST(PublicKeyLineTest, FormatsAndParsesBack) {
  PublicKeyEntry e = Entry(0xab, "Ada Lovelace <ada@example.com>");
  std::string line = FormatPublicKeyLine(e);
  EXPECT_EQ(line, "ed25519 q6urq6urq6urq6urq6urq6urq6urq6urq6urq6urq6s= Ada Lovelace <ada@example.com>");
  auto back = ParsePublicKeyLine(line + "\r", "t");
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->key, e.key);
  EXPECT_EQ(back->comment, e.comment);
  EXPECT_EQ(FormatPublicKeyLine(Entry(1, "")), "ed25519 AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=");
}

TEST(PublicKeyLineTest, RefusesGarbageWithOneLineNamingIt) {
  for (std::string_view bad : {"", "ed25519", "ssh-ed25519 AAAA", "ed25519 AQEB", "ed25519 not-base64!",
                               "ed25519 AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEB",  // 33 bytes
                               "ed25519 AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE= evil\x1b[2J"}) {
    auto parsed = ParsePublicKeyLine(bad, "keys:3");
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.status().message().find('\n'), std::string::npos);
    EXPECT_EQ(parsed.status().message().rfind("keys:3", 0), 0u) << parsed.status().message();
  }
}

TEST(PublicKeyLineTest, TrustedKeysSkipCommentsAndBlankLinesAndNameTheBadLine) {
  std::string text = "# who may sign models\n\n" + FormatPublicKeyLine(Entry(1, "A")) + "\n   \n" +
                     FormatPublicKeyLine(Entry(2, "B <b@x>")) + "\r\n";
  auto keys = ParseTrustedKeys(text, "trusted_keys");
  ASSERT_TRUE(keys.ok()) << keys.status().message();
  ASSERT_EQ(keys->size(), 2u);
  EXPECT_EQ((*keys)[1].comment, "B <b@x>");
  PublicKeyEntry two = Entry(2, "");
  EXPECT_EQ(FindTrustedKey(*keys, two.key), &(*keys)[1]);
  EXPECT_EQ(FindTrustedKey(*keys, Entry(3, "").key), nullptr);

  auto bad = ParseTrustedKeys(text + "ssh-rsa AAAA bob\n", "trusted_keys");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("trusted_keys:6"), std::string::npos) << bad.status().message();
  EXPECT_FALSE(ParseTrustedKeys(std::string(kMaxTrustedKeysBytes + 1, '#'), "t").ok());
}

}  // namespace
}  // namespace gitmodel
