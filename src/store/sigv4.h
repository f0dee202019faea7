// AWS Signature Version 4 for S3 requests, header form ("Authorization: AWS4-HMAC-SHA256 ...").
// https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gitmodel {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

struct AwsCredentials {
  std::string access_key, secret_key, session_token;
  bool empty() const { return access_key.empty() && secret_key.empty(); }
};

struct SigningRequest {
  std::string method;         // "GET", "PUT", "HEAD"
  std::string host;           // the Host header exactly as sent: "b.s3.amazonaws.com", "127.0.0.1:4568"
  std::string encoded_path;   // the request path as sent, already encoded by UriEncode(..., true)
  std::vector<std::pair<std::string, std::string>> query;  // decoded names and values
  HttpHeaders extra_headers;  // signed besides host and the x-amz-* ones (e.g. {"range", "bytes=0-9"})
  std::string payload_sha256;  // lowercase hex of the body's SHA-256
};

// S3's URI encoding: every byte but A-Z a-z 0-9 - . _ ~ becomes %XX (upper-case hex); '/' too
// unless `keep_slash`. S3 signs the path encoded once (other services encode it twice).
std::string UriEncode(std::string_view text, bool keep_slash);

// "20130524T000000Z" for `when` (UTC).
std::string AmzDate(std::chrono::system_clock::time_point when);

// The canonical request of `request` at `amz_date`: method, path, sorted query, sorted lower-case
// headers (host, the extra ones, x-amz-content-sha256, x-amz-date, x-amz-security-token when
// `session_token` is set), the signed header list and the payload hash, one per line.
std::string CanonicalRequest(const SigningRequest& request, std::string_view amz_date,
                             std::string_view session_token);

// The headers to add to the request: x-amz-content-sha256, x-amz-date, x-amz-security-token (with a
// session token) and authorization, signed for service "s3" in `region`. The extra headers and the
// Host header must be sent exactly as given in `request`.
HttpHeaders SignS3Request(const SigningRequest& request, const AwsCredentials& credentials,
                          std::string_view region, std::string_view amz_date);

}  // namespace gitmodel
