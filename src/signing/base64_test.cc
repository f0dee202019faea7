#include "signing/base64.h"

#include <gtest/gtest.h>

namespace gitmodel {
namespace {

std::vector<uint8_t> Bytes(std::string_view s) { return {s.begin(), s.end()}; }

TEST(Base64Test, EncodesRfc4648Vectors) {
  EXPECT_EQ(Base64Encode(Bytes("")), "");
  EXPECT_EQ(Base64Encode(Bytes("f")), "Zg==");
  EXPECT_EQ(Base64Encode(Bytes("fo")), "Zm8=");
  EXPECT_EQ(Base64Encode(Bytes("foo")), "Zm9v");
  EXPECT_EQ(Base64Encode(Bytes("foobar")), "Zm9vYmFy");
}

TEST(Base64Test, RoundTripsEveryLength) {
  std::vector<uint8_t> bytes;
  for (int n = 0; n < 70; ++n) {
    auto back = Base64Decode(Base64Encode(bytes), "test");
    ASSERT_TRUE(back.ok()) << back.status().message();
    EXPECT_EQ(*back, bytes);
    bytes.push_back(static_cast<uint8_t>(n * 37 + 250));
  }
}

TEST(Base64Test, RefusesNonCanonicalText) {
  for (std::string_view bad :
       {"Zg=", "Zg", "Z===", "====", "Zh==", "Zm9=", "Zm 9v", "Zm9v\n", "Zg==Zg==", "Zm-v", "Zm_v"}) {
    auto decoded = Base64Decode(bad, "key");
    ASSERT_FALSE(decoded.ok()) << bad;
    EXPECT_NE(decoded.status().message().find("key"), std::string::npos);
  }
}

}  // namespace
}  // namespace gitmodel
