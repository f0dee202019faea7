#include "store/s3_error.h"

#include <cctype>
#include <string>

namespace gitmodel {
namespace {

bool IsWord(std::string_view text) {
  for (unsigned char c : text) {
    if (!std::isalnum(c) && c != '.') return false;
  }
  return true;
}

// S3's error Code from an XML error document, when it is a plain word.
std::string XmlErrorCode(std::string_view body) {
  size_t start = body.find("<Code>");
  if (start == std::string_view::npos) return "";
  start += 6;
  size_t end = body.find("</Code>", start);
  if (end == std::string_view::npos || end - start > 64) return "";
  std::string_view code = body.substr(start, end - start);
  return IsWord(code) ? std::string(code) : "";
}

std::string ReasonPhrase(long status) {
  switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "";
  }
}

Code ClassifyS3Error(long status, std::string_view code) {
  if (status >= 500 || status == 429 || status == 408) return Code::kIO;
  if (code == "SlowDown" || code == "RequestTimeout" || code == "InternalError" || code == "ServiceUnavailable") {
    return Code::kIO;
  }
  if (status == 404 && code != "NoSuchBucket") return Code::kNotFound;
  return Code::kInvalidArgument;
}

bool IsRegionName(std::string_view text) {
  for (unsigned char c : text) {
    if (!(std::islower(c) || std::isdigit(c) || c == '-')) return false;
  }
  return !text.empty();
}

}  // namespace

Status S3ResponseError(std::string_view what, const HttpResponse& response) {
  std::string code = XmlErrorCode(response.body);
  std::string message = fmt::format("{}: {} {}", what, response.status,
                                    code.empty() ? ReasonPhrase(response.status) : code);
  auto region = response.headers.find("x-amz-bucket-region");
  if (response.status == 301 && region != response.headers.end() && IsRegionName(region->second)) {
    message += fmt::format(" (the bucket is in region {}: set AWS_REGION)", region->second);
  }
  while (message.ends_with(' ')) message.pop_back();
  return Status(ClassifyS3Error(response.status, code), message);
}

}  // namespace gitmodel
