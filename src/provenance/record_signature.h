// Signed provenance records (docs/provenance.md, "Signing").
//
// The signature covers the record's canonical bytes: "git-model/signature/v1\n" followed by the
// record with "signature.value" removed (the rest of the signature member, signer and key
// included, is covered), as compact JSON with keys sorted (byte order) and no whitespace. The
// record holds the weights fingerprint, so the signature binds the weights too: verify recomputes
// the fingerprint from the file and compares.
//
// The "signature" member: {"scheme": "git-model/signature/v1", "algorithm": "ed25519",
// "key_id": <64 hex>, "public_key": <base64>, "signer": <comment>, "value": <base64 of 64 bytes>}.
// "signer" is the signer's own claim; verify names the signer from the trusted-keys file.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "gitmodel/status.h"
#include "provenance/record.h"
#include "signing/ed25519.h"
#include "signing/public_key_line.h"

namespace gitmodel {

inline constexpr std::string_view kSignatureScheme = "git-model/signature/v1";

// The bytes that are signed for `record_json` (a record object; "signature.value" is ignored).
std::string SignedBytes(const nlohmann::json& record_json);

// Signs `record` (replacing any signature) with `key`, claiming `signer` as the signer's name.
Status SignRecord(const SigningKey& key, const std::string& signer, ProvenanceRecord* record);

enum class SignatureState {
  kUnsigned,        // no "signature" member
  kValid,           // a good signature by a trusted key
  kBadSignature,    // the record (or the signature) was changed after signing
  kUntrusted,       // a good signature by a key not in the trusted keys
  kNoTrustedKeys,   // signed, but there is no trusted-keys file to check the signer against
  kMalformed,       // a "signature" member this version cannot read
};
std::string_view SignatureStateName(SignatureState state);  // "unsigned", "valid", ...

struct SignatureCheck {
  SignatureState state = SignatureState::kUnsigned;
  std::string key_id;   // of the key in the record
  std::string signer;   // the trusted key's comment when trusted, else the record's claim
  std::string detail;   // one line for kMalformed
};

// Checks the signature of a record as stored (its text). `trusted` is null when there is no
// trusted-keys file. The signature is checked before trust, so a tampered record is kBadSignature
// whoever signed it.
SignatureCheck CheckRecordSignature(std::string_view record_text, const std::vector<PublicKeyEntry>* trusted);

}  // namespace gitmodel
