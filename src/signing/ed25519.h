// Ed25519 keys, signatures and key ids through OpenSSL's EVP interface (pure Ed25519, RFC 8032:
// the message is signed as it is, without a separate digest).
//
// Thread-safety: a SigningKey may sign from several threads (OpenSSL creates a context per call).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "gitmodel/status.h"

typedef struct evp_pkey_st EVP_PKEY;

namespace gitmodel {

using Ed25519PublicKey = std::array<uint8_t, 32>;
using Ed25519Signature = std::array<uint8_t, 64>;

// A private key held in OpenSSL; the secret never leaves it except as PKCS#8 PEM.
class SigningKey {
 public:
  static Result<SigningKey> Generate();
  // An unencrypted PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----") holding an Ed25519 key; Corrupt for
  // anything else (another algorithm, an encrypted key, garbage), naming `what`.
  static Result<SigningKey> FromPem(std::string_view pem, std::string_view what);

  std::string ToPem() const;  // unencrypted PKCS#8 PEM, ending in a newline
  const Ed25519PublicKey& public_key() const { return public_key_; }
  Result<Ed25519Signature> Sign(std::span<const uint8_t> message) const;

 private:
  struct Free {
    void operator()(EVP_PKEY* key) const;
  };
  SigningKey(std::unique_ptr<EVP_PKEY, Free> key, const Ed25519PublicKey& public_key)
      : key_(std::move(key)), public_key_(public_key) {}
  std::unique_ptr<EVP_PKEY, Free> key_;
  Ed25519PublicKey public_key_{};
};

// True when `signature` is a valid Ed25519 signature of `message` by `public_key`.
bool VerifyEd25519(const Ed25519PublicKey& public_key, std::span<const uint8_t> message,
                   const Ed25519Signature& signature);

// Lower-case hex SHA-256 of the 32 raw public key bytes (64 characters); the key's id.
std::string KeyId(const Ed25519PublicKey& public_key);

std::span<const uint8_t> AsUnsigned(std::string_view text);

}  // namespace gitmodel
