#include "provenance/record_signature.h"

#include "base/json_document.h"
#include "signing/base64.h"

namespace gitmodel {
namespace {

using nlohmann::json;

constexpr std::string_view kAlgorithm = "ed25519";

std::string Canonical(const json& value) { return value.dump(-1, ' ', false, json::error_handler_t::replace); }

std::string StringMember(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

template <size_t N>
Result<std::array<uint8_t, N>> FixedBase64(const json& object, const char* key) {
  GM_ASSIGN_OR_RETURN(std::vector<uint8_t> raw, Base64Decode(StringMember(object, key), key));
  std::array<uint8_t, N> out{};
  if (raw.size() != N) return Corrupt("signature.{} holds {} bytes, expected {}", key, raw.size(), N);
  std::copy(raw.begin(), raw.end(), out.begin());
  return out;
}

SignatureCheck Malformed(std::string detail) {
  SignatureCheck check;
  check.state = SignatureState::kMalformed;
  check.detail = std::move(detail);
  return check;
}

}  // namespace

std::string SignedBytes(const json& record_json) {
  json covered = record_json;
  auto sig = covered.is_object() ? covered.find("signature") : covered.end();
  if (sig != covered.end() && sig->is_object()) sig->erase("value");
  return std::string(kSignatureScheme) + "\n" + Canonical(covered);
}

Status SignRecord(const SigningKey& key, const std::string& signer, ProvenanceRecord* record) {
  record->signature = {{"scheme", kSignatureScheme},
                       {"algorithm", kAlgorithm},
                       {"key_id", KeyId(key.public_key())},
                       {"public_key", Base64Encode(key.public_key())},
                       {"signer", signer}};
  // Signed as it will be read back: parsed from the serialized text, exactly what verify sees.
  GM_ASSIGN_OR_RETURN(json stored, ParseJsonDocument(SerializeRecord(*record), "record"));
  GM_ASSIGN_OR_RETURN(Ed25519Signature value, key.Sign(AsUnsigned(SignedBytes(stored))));
  record->signature["value"] = Base64Encode(value);
  return OkStatus();
}

std::string_view SignatureStateName(SignatureState state) {
  switch (state) {
    case SignatureState::kUnsigned: return "unsigned";
    case SignatureState::kValid: return "valid";
    case SignatureState::kBadSignature: return "bad-signature";
    case SignatureState::kUntrusted: return "untrusted-signer";
    case SignatureState::kNoTrustedKeys: return "no-trusted-keys";
    case SignatureState::kMalformed: return "malformed";
  }
  return "malformed";
}

SignatureCheck CheckRecordSignature(std::string_view record_text, const std::vector<PublicKeyEntry>* trusted) {
  auto stored = ParseJsonDocument(record_text, "record");
  if (!stored.ok()) return Malformed(stored.status().message());
  auto sig = stored->is_object() ? stored->find("signature") : stored->end();
  if (sig == stored->end() || sig->is_null()) return {};
  if (!sig->is_object()) return Malformed("record field signature: expected an object");
  if (StringMember(*sig, "scheme") != kSignatureScheme || StringMember(*sig, "algorithm") != kAlgorithm) {
    // The record's own values are not echoed: they are untrusted text.
    return Malformed(fmt::format("the signature's scheme or algorithm is not supported (this git-model reads {} {})",
                                 kSignatureScheme, kAlgorithm));
  }
  auto public_key = FixedBase64<32>(*sig, "public_key");
  if (!public_key.ok()) return Malformed(public_key.status().message());
  auto value = FixedBase64<64>(*sig, "value");
  if (!value.ok()) return Malformed(value.status().message());
  SignatureCheck check;
  check.key_id = KeyId(*public_key);
  if (StringMember(*sig, "key_id") != check.key_id) {
    return Malformed("signature.key_id is not the SHA-256 of its public_key");
  }
  check.signer = StringMember(*sig, "signer");
  if (!VerifyEd25519(*public_key, AsUnsigned(SignedBytes(*stored)), *value)) {
    check.state = SignatureState::kBadSignature;
  } else if (trusted == nullptr) {
    check.state = SignatureState::kNoTrustedKeys;
  } else if (const PublicKeyEntry* entry = FindTrustedKey(*trusted, *public_key)) {
    check.state = SignatureState::kValid;
    check.signer = entry->comment;
  } else {
    check.state = SignatureState::kUntrusted;
  }
  return check;
}

}  // namespace gitmodel
