#include "base/sha256.h"

#include <openssl/evp.h>

#include <stdexcept>

namespace gitmodel {

struct Sha256::Ctx {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> md{EVP_MD_CTX_new(), &EVP_MD_CTX_free};
};

Sha256::Sha256() : ctx_(std::make_unique<Ctx>()) {
  // Only allocation failure can make these fail; there is no useful way to continue then.
  if (!ctx_->md || EVP_DigestInit_ex(ctx_->md.get(), EVP_sha256(), nullptr) != 1) throw std::bad_alloc();
}
Sha256::~Sha256() = default;

void Sha256::Update(std::span<const std::byte> bytes) {
  EVP_DigestUpdate(ctx_->md.get(), bytes.data(), bytes.size());
}
void Sha256::Update(std::string_view text) {
  EVP_DigestUpdate(ctx_->md.get(), text.data(), text.size());
}

Digest Sha256::Finish() {
  Digest digest{};
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx_->md.get(), digest.data(), &len);
  return digest;
}

Digest Sha256Of(std::span<const std::byte> bytes) {
  Sha256 h;
  h.Update(bytes);
  return h.Finish();
}

std::string ToHex(const Digest& digest) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(64);
  for (uint8_t b : digest) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 15]);
  }
  return out;
}

}  // namespace gitmodel
