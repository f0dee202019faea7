#include "signing/ed25519.h"

#include <fmt/core.h>
#include <gtest/gtest.h>

namespace gitmodel {
namespace {

template <size_t N>
std::string Hex(const std::array<uint8_t, N>& bytes) {
  std::string out;
  for (uint8_t b : bytes) out += fmt::format("{:02x}", b);
  return out;
}

// RFC 8032 section 7.1, test 2: secret 4ccd08..., message 0x72.
constexpr std::string_view kRfcPem =
    "-----BEGIN PRIVATE KEY-----\n"
    "MC4CAQAwBQYDK2VwBCIEIEzNCJso/5banbbDRuwRTg9bijGfNaumJNqM9u1PuKb7\n"
    "-----END PRIVATE KEY-----\n";

TEST(Ed25519Test, SignsLikeRfc8032) {
  auto key = SigningKey::FromPem(kRfcPem, "rfc");
  ASSERT_TRUE(key.ok()) << key.status().message();
  EXPECT_EQ(KeyId(key->public_key()).size(), 64u);
  const uint8_t message[] = {0x72};
  auto signature = key->Sign(message);
  ASSERT_TRUE(signature.ok());
  EXPECT_EQ(Hex(*signature),
            "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
            "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00");
  EXPECT_EQ(Hex(key->public_key()), "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c");
}

TEST(Ed25519Test, RoundTripAndEverySingleByteChangeFails) {
  auto key = SigningKey::Generate();
  ASSERT_TRUE(key.ok());
  std::string message = "git-model/signature/v1\n{\"artifact\":{\"fingerprint\":\"ab\"}}";
  auto signature = key->Sign(AsUnsigned(message));
  ASSERT_TRUE(signature.ok());
  EXPECT_TRUE(VerifyEd25519(key->public_key(), AsUnsigned(message), *signature));
  for (size_t i = 0; i < message.size(); ++i) {
    std::string changed = message;
    changed[i] ^= 0x01;
    EXPECT_FALSE(VerifyEd25519(key->public_key(), AsUnsigned(changed), *signature)) << i;
  }
  for (size_t i = 0; i < signature->size(); ++i) {
    Ed25519Signature changed = *signature;
    changed[i] ^= 0x80;
    EXPECT_FALSE(VerifyEd25519(key->public_key(), AsUnsigned(message), changed)) << i;
  }
}

TEST(Ed25519Test, WrongKeyFails) {
  auto a = SigningKey::Generate(), b = SigningKey::Generate();
  ASSERT_TRUE(a.ok() && b.ok());
  auto signature = a->Sign(AsUnsigned("m"));
  ASSERT_TRUE(signature.ok());
  EXPECT_FALSE(VerifyEd25519(b->public_key(), AsUnsigned("m"), *signature));
}

TEST(Ed25519Test, PemRoundTrips) {
  auto key = SigningKey::Generate();
  ASSERT_TRUE(key.ok());
  auto back = SigningKey::FromPem(key->ToPem(), "k");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->public_key(), key->public_key());
}

TEST(Ed25519Test, RefusesOtherKeysAndGarbageWithOneLine) {
  const std::string_view ec_key =  // a P-256 key: not Ed25519
      "-----BEGIN PRIVATE KEY-----\n"
      "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg7H+3A5cuuic9m6H0\n"
      "s8FHdt6pvy/LvruVJAXBpdDBSUShRANCAASCeFrH3fQvRdNUaP5l0wQ5qsnZD/g0\n"
      "UJXDSKVsYFU/JF79tvGCbwT2EDs8CJ2KzTxv3SnxbWIJ0EKdiIWnGy1J\n"
      "-----END PRIVATE KEY-----\n";
  const std::string_view truncated = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
  const std::string_view encrypted = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n";
  for (std::string_view bad : {std::string_view("garbage"), truncated, ec_key, encrypted}) {
    auto key = SigningKey::FromPem(bad, "keyfile");
    ASSERT_FALSE(key.ok());
    EXPECT_EQ(key.status().message().find('\n'), std::string::npos);
    EXPECT_NE(key.status().message().find("keyfile"), std::string::npos);
  }
}

}  // namespace
}  // namespace gitmodel
