#include "signing/ed25519.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "base/sha256.h"

namespace gitmodel {
namespace {

struct FreeMdCtx {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
using MdCtx = std::unique_ptr<EVP_MD_CTX, FreeMdCtx>;

struct FreeBio {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
using Bio = std::unique_ptr<BIO, FreeBio>;

Result<Ed25519PublicKey> RawPublicKey(EVP_PKEY* key) {
  Ed25519PublicKey out{};
  size_t length = out.size();
  if (EVP_PKEY_get_raw_public_key(key, out.data(), &length) != 1 || length != out.size()) {
    return Corrupt("cannot read the Ed25519 public key");
  }
  return out;
}

}  // namespace

void SigningKey::Free::operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }

Result<SigningKey> SigningKey::Generate() {
  EVP_PKEY* raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  if (raw == nullptr) return IOError("OpenSSL could not generate an Ed25519 key");
  std::unique_ptr<EVP_PKEY, Free> key(raw);
  GM_ASSIGN_OR_RETURN(Ed25519PublicKey public_key, RawPublicKey(key.get()));
  return SigningKey(std::move(key), public_key);
}

Result<SigningKey> SigningKey::FromPem(std::string_view pem, std::string_view what) {
  if (pem.find("-----BEGIN PRIVATE KEY-----") == std::string_view::npos) {
    return Corrupt("{}: not an unencrypted PKCS#8 private key (no \"-----BEGIN PRIVATE KEY-----\")", what);
  }
  Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(std::min<size_t>(pem.size(), 1 << 20))));
  if (!bio) return IOError("{}: out of memory", what);
  // A null password callback result makes OpenSSL refuse encrypted keys instead of prompting.
  auto no_password = [](char*, int, int, void*) { return 0; };
  std::unique_ptr<EVP_PKEY, Free> key(PEM_read_bio_PrivateKey(bio.get(), nullptr, no_password, nullptr));
  if (!key) {
    ERR_clear_error();  // leave no stale OpenSSL errors behind for unrelated calls
    return Corrupt("{}: the private key cannot be read", what);
  }
  if (EVP_PKEY_get_id(key.get()) != EVP_PKEY_ED25519) return Corrupt("{}: not an Ed25519 key", what);
  GM_ASSIGN_OR_RETURN(Ed25519PublicKey public_key, RawPublicKey(key.get()));
  return SigningKey(std::move(key), public_key);
}

std::string SigningKey::ToPem() const {
  Bio bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), key_.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return "";
  }
  char* data = nullptr;
  long length = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(length));
}

Result<Ed25519Signature> SigningKey::Sign(std::span<const uint8_t> message) const {
  MdCtx ctx(EVP_MD_CTX_new());
  Ed25519Signature out{};
  size_t length = out.size();
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key_.get()) != 1 ||
      EVP_DigestSign(ctx.get(), out.data(), &length, message.data(), message.size()) != 1 || length != out.size()) {
    return IOError("OpenSSL could not make an Ed25519 signature");
  }
  return out;
}

bool VerifyEd25519(const Ed25519PublicKey& public_key, std::span<const uint8_t> message,
                   const Ed25519Signature& signature) {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
      EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, public_key.data(), public_key.size()), EVP_PKEY_free);
  MdCtx ctx(EVP_MD_CTX_new());
  if (!key || !ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1) return false;
  return EVP_DigestVerify(ctx.get(), signature.data(), signature.size(), message.data(), message.size()) == 1;
}

std::string KeyId(const Ed25519PublicKey& public_key) {
  return ToHex(Sha256Of(std::as_bytes(std::span(public_key))));
}

std::span<const uint8_t> AsUnsigned(std::string_view text) {
  return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

}  // namespace gitmodel
