#include "provenance/record_signature.h"

#include <gtest/gtest.h>

#include "signing/base64.h"

namespace gitmodel {
namespace {

ProvenanceRecord SampleRecord() {
  ProvenanceRecord r;
  r.created = "2026-11-29T09:20:37Z";
  r.tool = "git-model 0.1.0";
  r.artifact = {"ckpt.pth", "torch-zip", 1234, 2, 12, std::string(64, 'a'), {{"fc.weight", "0123456789abcdef"}}};
  r.git.in_repo = true;
  r.git.commit = std::string(40, 'c');
  r.hyperparams = {{"lr", 0.1}, {"name", "caf\xc3\xa9"}};
  r.metrics = {{"val_acc", 0.91}};
  return r;
}

struct Signed {
  std::string text;
  std::vector<PublicKeyEntry> trusted;
};

Signed SignSample(const SigningKey& key) {
  ProvenanceRecord r = SampleRecord();
  EXPECT_TRUE(SignRecord(key, "Ada", &r).ok());
  return {SerializeRecord(r), {{key.public_key(), "Ada <ada@example.com>"}}};
}

TEST(RecordSignatureTest, SignedRecordIsValidForATrustedKey) {
  auto key = SigningKey::Generate();
  ASSERT_TRUE(key.ok());
  Signed s = SignSample(*key);
  SignatureCheck check = CheckRecordSignature(s.text, &s.trusted);
  EXPECT_EQ(check.state, SignatureState::kValid) << check.detail;
  EXPECT_EQ(check.signer, "Ada <ada@example.com>");  // the trusted file's name, not the record's claim
  EXPECT_EQ(check.key_id, KeyId(key->public_key()));
  auto parsed = ParseRecord(s.text);  // still a plain v1 record to every reader
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->signature["signer"], "Ada");
}

TEST(RecordSignatureTest, SignedBytesAreCanonicalWhateverTheLayout) {
  auto key = SigningKey::Generate();
  ASSERT_TRUE(key.ok());
  Signed s = SignSample(*key);
  auto json = nlohmann::json::parse(s.text);
  std::string compact = json.dump();  // other whitespace, same content
  EXPECT_EQ(CheckRecordSignature(compact, &s.trusted).state, SignatureState::kValid);
  EXPECT_EQ(SignedBytes(json).rfind("git-model/signature/v1\n{\"artifact\":", 0), 0u);
}

TEST(RecordSignatureTest, AnyChangedValueIsABadSignature) {
  auto key = SigningKey::Generate();
  ASSERT_TRUE(key.ok());
  Signed s = SignSample(*key);
  // Flip every hex digit, letter and number character that keeps the JSON valid.
  size_t tried = 0;
  for (size_t i = 0; i < s.text.size(); ++i) {
    char c = s.text[i];
    if (!(c >= 'a' && c <= 'f') && !(c >= '0' && c <= '8')) continue;
    std::string changed = s.text;
    changed[i] = c == '0' ? '1' : static_cast<char>(c + 1);
    if (!nlohmann::json::accept(changed)) continue;
    SignatureState state = CheckRecordSignature(changed, &s.trusted).state;
    EXPECT_NE(state, SignatureState::kValid) << "byte " << i;
    ++tried;
  }
  EXPECT_GT(tried, 200u);
}

TEST(RecordSignatureTest, UnknownSignerAndMissingTrustedKeys) {
  auto key = SigningKey::Generate(), other = SigningKey::Generate();
  ASSERT_TRUE(key.ok() && other.ok());
  Signed s = SignSample(*key);
  std::vector<PublicKeyEntry> others = {{other->public_key(), "Bob"}};
  SignatureCheck untrusted = CheckRecordSignature(s.text, &others);
  EXPECT_EQ(untrusted.state, SignatureState::kUntrusted);
  EXPECT_EQ(untrusted.signer, "Ada");  // the claim, reported as a claim
  EXPECT_EQ(CheckRecordSignature(s.text, nullptr).state, SignatureState::kNoTrustedKeys);
}

TEST(RecordSignatureTest, SwappedPublicKeyIsABadSignature) {
  auto key = SigningKey::Generate(), other = SigningKey::Generate();
  ASSERT_TRUE(key.ok() && other.ok());
  Signed s = SignSample(*key);
  auto json = nlohmann::json::parse(s.text);
  json["signature"]["public_key"] = Base64Encode(other->public_key());
  std::vector<PublicKeyEntry> trusted = {{other->public_key(), "Bob"}};
  EXPECT_EQ(CheckRecordSignature(json.dump(), &trusted).state, SignatureState::kMalformed);  // key_id disagrees
  json["signature"]["key_id"] = KeyId(other->public_key());
  EXPECT_EQ(CheckRecordSignature(json.dump(), &trusted).state, SignatureState::kBadSignature);
}

TEST(RecordSignatureTest, UnsignedAndMalformed) {
  EXPECT_EQ(CheckRecordSignature(SerializeRecord(SampleRecord()), nullptr).state, SignatureState::kUnsigned);
  for (std::string_view bad : {R"({"signature": 1})", R"({"signature": {"scheme": "x/v9", "algorithm": "ed25519"}})",
                               R"({"signature": {"scheme": "git-model/signature/v1", "algorithm": "ed25519",
                                   "public_key": "AAAA", "value": "AAAA"}})",
                               "not json"}) {
    SignatureCheck check = CheckRecordSignature(bad, nullptr);
    EXPECT_EQ(check.state, SignatureState::kMalformed) << bad;
    EXPECT_EQ(check.detail.find('\n'), std::string::npos);
  }
}

}  // namespace
}  // namespace gitmodel
