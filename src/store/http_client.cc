#include "store/http_client.h"

#include <curl/curl.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <memory>
#include <mutex>

namespace gitmodel {
namespace {

constexpr size_t kMaxResponseHeaders = 64;

struct CurlHandleDeleter {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

// This thread's handle, reset to defaults (connections and DNS cache survive the reset).
CURL* ThreadHandle() {
  static std::once_flag global_init;
  std::call_once(global_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  thread_local std::unique_ptr<CURL, CurlHandleDeleter> handle(curl_easy_init());
  if (handle) curl_easy_reset(handle.get());
  return handle.get();
}

struct Exchange {
  const HttpRequest* request = nullptr;
  CURL* curl = nullptr;
  HttpResponse response;
  uint64_t upload_offset = 0;
  Status sink_status;
};

bool IsSuccess(CURL* curl) {
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  return status >= 200 && status < 300;
}

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* x = static_cast<Exchange*>(user);
  size_t n = size * count;
  if (x->request->body_sink && IsSuccess(x->curl)) {
    x->sink_status = x->request->body_sink(std::as_bytes(std::span(data, n)));
    return x->sink_status.ok() ? n : 0;
  }
  size_t room = kMaxHttpBodyBytes - x->response.body.size();
  x->response.body.append(data, std::min(n, room));
  return n;
}

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* x = static_cast<Exchange*>(user);
  std::string_view line(data, size * count);
  size_t colon = line.find(':');
  if (line.starts_with("HTTP/")) x->response.headers.clear();  // a new response (after 100 Continue)
  if (colon == std::string_view::npos || x->response.headers.size() >= kMaxResponseHeaders) return size * count;
  std::string name(line.substr(0, colon));
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string_view value = line.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && std::isspace(static_cast<unsigned char>(value.back()))) value.remove_suffix(1);
  x->response.headers.emplace(std::move(name), std::string(value));
  return size * count;
}

size_t OnUploadRead(char* buffer, size_t size, size_t count, void* user) {
  auto* x = static_cast<Exchange*>(user);
  uint64_t left = x->request->upload_size - x->upload_offset;
  size_t want = static_cast<size_t>(std::min<uint64_t>(left, size * count));
  if (want == 0) return 0;
  ssize_t n;
  do {
    n = pread(x->request->upload_fd, buffer, want, static_cast<off_t>(x->upload_offset));
  } while (n < 0 && errno == EINTR);
  if (n <= 0) return CURL_READFUNC_ABORT;  // the file shrank or cannot be read
  x->upload_offset += static_cast<uint64_t>(n);
  return static_cast<size_t>(n);
}

// curl rewinds the body when it must send it again (a retried connection).
int OnUploadSeek(void* user, curl_off_t offset, int origin) {
  auto* x = static_cast<Exchange*>(user);
  if (origin != SEEK_SET || offset < 0) return CURL_SEEKFUNC_CANTSEEK;
  x->upload_offset = static_cast<uint64_t>(offset);
  return CURL_SEEKFUNC_OK;
}

void SetMethod(CURL* curl, Exchange& x) {
  const HttpRequest& r = *x.request;
  if (r.method == "HEAD") {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  } else if (r.method == "PUT") {
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(r.upload_size));
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, &OnUploadRead);
    curl_easy_setopt(curl, CURLOPT_READDATA, &x);
    curl_easy_setopt(curl, CURLOPT_SEEKFUNCTION, &OnUploadSeek);
    curl_easy_setopt(curl, CURLOPT_SEEKDATA, &x);
  } else if (r.method != "GET") {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, r.method.c_str());
  }
}

std::unique_ptr<curl_slist, SlistDeleter> HeaderList(const HttpHeaders& headers) {
  curl_slist* list = nullptr;
  for (const auto& [name, value] : headers) {
    std::string line = name + ": " + value;
    list = curl_slist_append(list, line.c_str());
  }
  return std::unique_ptr<curl_slist, SlistDeleter>(list);
}

void SetOptions(CURL* curl, Exchange& x, curl_slist* headers, char* error_buffer) {
  const HttpRequest& r = *x.request;
  curl_easy_setopt(curl, CURLOPT_URL, r.url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);  // no SIGALRM from resolver timeouts in threads
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(r.connect_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1024L);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, static_cast<long>(r.stall_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &OnBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &x);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &OnHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &x);
  SetMethod(curl, x);
}

}  // namespace

Result<HttpResponse> PerformHttp(const HttpRequest& request) {
  CURL* curl = ThreadHandle();
  if (curl == nullptr) return IOError("{} {}: cannot create a libcurl handle", request.method, request.url);
  Exchange x{&request, curl, {}, 0, {}};
  auto headers = HeaderList(request.headers);
  char error_buffer[CURL_ERROR_SIZE] = {0};
  SetOptions(curl, x, headers.get(), error_buffer);
  CURLcode code = curl_easy_perform(curl);
  if (!x.sink_status.ok()) return x.sink_status;
  if (code != CURLE_OK) {
    std::string reason = error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(code);
    return IOError("{}", reason);
  }
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &x.response.status);
  return std::move(x.response);
}

}  // namespace gitmodel
