#include "git/blob_id.h"

#include <openssl/evp.h>

#include <array>
#include <memory>

#include "fmt/core.h"

namespace gitmodel {

// OpenSSL's SHA-1 rather than git_odb_hash: libgit2's collision-detecting SHA-1 is about four
// times slower, which matters for the multi-hundred-megabyte files of a working-tree patch.
std::string GitBlobId(std::span<const std::byte> bytes) {
  std::string header = fmt::format("blob {}", bytes.size());
  header.push_back('\0');
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> md(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  std::array<unsigned char, 20> digest{};
  unsigned int length = 0;
  // Only allocation failure makes these fail; the all-zero id that would result is never a blob's.
  if (md && EVP_DigestInit_ex(md.get(), EVP_sha1(), nullptr) == 1) {
    EVP_DigestUpdate(md.get(), header.data(), header.size());
    EVP_DigestUpdate(md.get(), bytes.data(), bytes.size());
    EVP_DigestFinal_ex(md.get(), digest.data(), &length);
  }
  std::string hex;
  for (unsigned char b : digest) hex += fmt::format("{:02x}", b);
  return hex;
}

}  // namespace gitmodel
