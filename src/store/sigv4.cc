#include "store/sigv4.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cctype>
#include <ctime>

#include <fmt/format.h>

#include "base/sha256.h"

namespace gitmodel {
namespace {

bool IsUnreserved(unsigned char c) {
  return std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Header values are signed trimmed, with runs of spaces folded to one.
std::string CanonicalValue(std::string_view value) {
  std::string out;
  for (char c : value) {
    bool space = c == ' ' || c == '\t';
    if (space && (out.empty() || out.back() == ' ')) continue;
    out.push_back(space ? ' ' : c);
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string HexOf(std::string_view text) {
  return ToHex(Sha256Of(std::as_bytes(std::span(text.data(), text.size()))));
}

std::string Hmac(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &length);
  return std::string(reinterpret_cast<const char*>(out), length);
}

std::string HexBytes(std::string_view bytes) {
  std::string out;
  for (unsigned char c : bytes) out += fmt::format("{:02x}", c);
  return out;
}

// The signed headers, lower-case names, sorted by name.
HttpHeaders SignedHeaders(const SigningRequest& request, std::string_view amz_date,
                          std::string_view session_token) {
  HttpHeaders headers{{"host", request.host},
                      {"x-amz-content-sha256", request.payload_sha256},
                      {"x-amz-date", std::string(amz_date)}};
  if (!session_token.empty()) headers.emplace_back("x-amz-security-token", std::string(session_token));
  for (const auto& [name, value] : request.extra_headers) headers.emplace_back(Lower(name), value);
  std::sort(headers.begin(), headers.end());
  return headers;
}

std::string SignedHeaderList(const HttpHeaders& headers) {
  std::string out;
  for (const auto& header : headers) out += (out.empty() ? "" : ";") + header.first;
  return out;
}

std::string CanonicalQuery(const SigningRequest& request) {
  std::vector<std::string> pairs;
  for (const auto& [name, value] : request.query) {
    pairs.push_back(UriEncode(name, false) + "=" + UriEncode(value, false));
  }
  std::sort(pairs.begin(), pairs.end());
  std::string out;
  for (const std::string& pair : pairs) out += (out.empty() ? "" : "&") + pair;
  return out;
}

}  // namespace

std::string UriEncode(std::string_view text, bool keep_slash) {
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if (IsUnreserved(c) || (keep_slash && c == '/')) {
      out.push_back(static_cast<char>(c));
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

std::string AmzDate(std::chrono::system_clock::time_point when) {
  std::time_t t = std::chrono::system_clock::to_time_t(when);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y%m%dT%H%M%SZ", &tm);
  return buffer;
}

std::string CanonicalRequest(const SigningRequest& request, std::string_view amz_date,
                             std::string_view session_token) {
  HttpHeaders headers = SignedHeaders(request, amz_date, session_token);
  std::string canonical_headers;
  for (const auto& [name, value] : headers) canonical_headers += name + ":" + CanonicalValue(value) + "\n";
  return fmt::format("{}\n{}\n{}\n{}\n{}\n{}", request.method, request.encoded_path,
                     CanonicalQuery(request), canonical_headers, SignedHeaderList(headers),
                     request.payload_sha256);
}

HttpHeaders SignS3Request(const SigningRequest& request, const AwsCredentials& credentials,
                          std::string_view region, std::string_view amz_date) {
  std::string_view day = amz_date.substr(0, 8);
  std::string scope = fmt::format("{}/{}/s3/aws4_request", day, region);
  std::string canonical = CanonicalRequest(request, amz_date, credentials.session_token);
  std::string to_sign = fmt::format("AWS4-HMAC-SHA256\n{}\n{}\n{}", amz_date, scope, HexOf(canonical));
  std::string key = Hmac("AWS4" + credentials.secret_key, day);
  key = Hmac(key, region);
  key = Hmac(key, "s3");
  key = Hmac(key, "aws4_request");
  std::string signature = HexBytes(Hmac(key, to_sign));

  HttpHeaders out{{"x-amz-content-sha256", request.payload_sha256}, {"x-amz-date", std::string(amz_date)}};
  if (!credentials.session_token.empty()) out.emplace_back("x-amz-security-token", credentials.session_token);
  std::string signed_list = SignedHeaderList(SignedHeaders(request, amz_date, credentials.session_token));
  out.emplace_back("authorization",
                   fmt::format("AWS4-HMAC-SHA256 Credential={}/{},SignedHeaders={},Signature={}",
                               credentials.access_key, scope, signed_list, signature));
  return out;
}

}  // namespace gitmodel
