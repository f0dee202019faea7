// One HTTP request through libcurl's easy interface. Each thread keeps its own handle (connections
// are reused between requests of a thread, never shared), so requests may run on many threads at
// once; curl_global_init runs once, on the first request.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <span>
#include <string>

#include "gitmodel/status.h"
#include "store/sigv4.h"

namespace gitmodel {

struct HttpRequest {
  std::string method = "GET";  // GET, HEAD or PUT
  std::string url;             // http:// or https://, already percent-encoded
  HttpHeaders headers;         // sent as given; a "host" entry replaces curl's Host header
  // PUT: the body is streamed from this open file, `upload_size` bytes from offset 0.
  int upload_fd = -1;
  uint64_t upload_size = 0;
  // When set, the body of a 2xx response goes here instead of HttpResponse::body; an error it
  // returns ends the transfer and is returned by PerformHttp.
  std::function<Status(std::span<const std::byte>)> body_sink;
  std::chrono::milliseconds connect_timeout{10'000};
  // The transfer is abandoned when it moves under 1 KiB/s for this long.
  std::chrono::seconds stall_timeout{60};
};

struct HttpResponse {
  long status = 0;
  std::string body;  // at most kMaxHttpBodyBytes (error documents), unless body_sink took it
  std::map<std::string, std::string> headers;  // lower-case names; the first 64 headers at most
};

inline constexpr size_t kMaxHttpBodyBytes = 64 << 10;

// Performs `request`. Any HTTP status is a response; kIO when no complete response arrived
// (cannot resolve or connect, timeout, reset, truncated body), with curl's reason.
Result<HttpResponse> PerformHttp(const HttpRequest& request);

}  // namespace gitmodel
