#include "store/s3_remote.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>

#include "base/atomic_file.h"
#include "base/file_sha256.h"
#include "store/s3_error.h"

namespace gitmodel {
namespace {

constexpr char kEmptySha256[] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

bool AllOf(std::string_view text, bool (*ok)(unsigned char)) {
  for (unsigned char c : text) {
    if (!ok(c)) return false;
  }
  return true;
}

bool IsBucketChar(unsigned char c) { return std::isalnum(c) || c == '.' || c == '-' || c == '_'; }
bool IsDnsChar(unsigned char c) { return std::islower(c) || std::isdigit(c) || c == '.' || c == '-'; }
bool IsRegionChar(unsigned char c) { return std::islower(c) || std::isdigit(c) || c == '-'; }
bool IsHostChar(unsigned char c) {
  return std::isalnum(c) || c == '.' || c == '-' || c == ':' || c == '[' || c == ']' || c == '_';
}
bool IsPrintable(unsigned char c) { return c >= 0x20 && c != 0x7f; }

// Whether `bucket` can be a host label (virtual-host style). Dotted names break TLS certificates
// (*.s3.amazonaws.com matches one label), so over https they use path style.
bool IsVirtualHostBucket(std::string_view bucket, std::string_view scheme) {
  if (bucket.size() < 3 || bucket.size() > 63 || !AllOf(bucket, IsDnsChar)) return false;
  if (!std::isalnum(static_cast<unsigned char>(bucket.front())) ||
      !std::isalnum(static_cast<unsigned char>(bucket.back()))) {
    return false;
  }
  if (bucket.find("..") != std::string_view::npos) return false;
  return scheme == "http" || bucket.find('.') == std::string_view::npos;
}

struct Endpoint {
  std::string scheme, authority;
};

Result<Endpoint> ParseEndpoint(std::string_view endpoint) {
  size_t sep = endpoint.find("://");
  Endpoint out;
  if (sep != std::string_view::npos) out.scheme = std::string(endpoint.substr(0, sep));
  std::string_view rest = sep == std::string_view::npos ? "" : endpoint.substr(sep + 3);
  if (rest.ends_with('/')) rest.remove_suffix(1);
  if ((out.scheme != "http" && out.scheme != "https") || rest.empty() || !AllOf(rest, IsHostChar)) {
    return InvalidArgument("S3 endpoint '{}' is not of the form http(s)://host[:port]", endpoint);
  }
  out.authority = std::string(rest);
  return out;
}

Result<S3Location> InvalidS3Url(std::string_view url, std::string_view why) {
  return InvalidArgument("'{}' is not an S3 remote URL (s3://bucket/prefix): {}", url, why);
}

}  // namespace

Result<S3Location> ParseS3Url(std::string_view url) {
  if (!url.starts_with("s3://")) return InvalidS3Url(url, "it does not start with s3://");
  std::string_view rest = url.substr(5);
  size_t slash = rest.find('/');
  S3Location out{std::string(rest.substr(0, slash)), ""};
  if (out.bucket.empty() || out.bucket.size() > 255 || !AllOf(out.bucket, IsBucketChar)) {
    return InvalidS3Url(url, "the bucket name must be letters, digits, '.', '-' or '_'");
  }
  std::string_view path = slash == std::string_view::npos ? "" : rest.substr(slash + 1);
  while (path.ends_with('/')) path.remove_suffix(1);
  if (!AllOf(path, IsPrintable)) return InvalidS3Url(url, "the prefix has control characters");
  for (size_t start = 0; !path.empty() && start <= path.size();) {
    size_t end = std::min(path.find('/', start), path.size());
    std::string_view segment = path.substr(start, end - start);
    if (segment.empty() || segment == "." || segment == "..") {
      return InvalidS3Url(url, "the prefix has an empty, '.' or '..' part");
    }
    start = end + 1;
  }
  out.prefix = std::string(path);
  return out;
}

std::string S3ObjectKey(std::string_view prefix, const ObjectId& id) {
  std::string hex = ObjectHex(id);
  std::string key = fmt::format("objects/{}/{}/{}", hex.substr(0, 2), hex.substr(2, 2), hex);
  return prefix.empty() ? key : fmt::format("{}/{}", prefix, key);
}

Result<std::unique_ptr<S3Remote>> S3Remote::Create(const S3Location& location, const S3Settings& settings) {
  if (settings.region.empty() || settings.region.size() > 64 || !AllOf(settings.region, IsRegionChar)) {
    return InvalidArgument("S3 region '{}' is not a region name (like us-east-1)", settings.region);
  }
  std::string endpoint = settings.endpoint.empty()
                             ? fmt::format("https://s3.{}.amazonaws.com", settings.region)
                             : settings.endpoint;
  GM_ASSIGN_OR_RETURN(Endpoint parsed, ParseEndpoint(endpoint));
  bool path_style = settings.path_style || !IsVirtualHostBucket(location.bucket, parsed.scheme);
  std::string host = path_style ? parsed.authority : location.bucket + "." + parsed.authority;
  return std::unique_ptr<S3Remote>(new S3Remote(location, settings, parsed.scheme, host, path_style));
}

std::string S3Remote::Describe() const {
  return location_.prefix.empty() ? "s3://" + location_.bucket
                                  : fmt::format("s3://{}/{}", location_.bucket, location_.prefix);
}

std::string S3Remote::EncodedPath(const ObjectId& id) const {
  std::string key = UriEncode(S3ObjectKey(location_.prefix, id), true);
  return path_style_ ? fmt::format("/{}/{}", UriEncode(location_.bucket, false), key) : "/" + key;
}

std::string S3Remote::ObjectUrl(const ObjectId& id) const {
  return fmt::format("{}://{}{}", scheme_, host_, EncodedPath(id));
}

std::string S3Remote::What(std::string_view method, const ObjectId& id) const {
  return fmt::format("{}: {} {}", Describe(), method, S3ObjectKey("", id));
}

HttpRequest S3Remote::SignedRequest(std::string method, const ObjectId& id,
                                    const std::string& payload_sha256) const {
  HttpRequest request;
  request.method = method;
  request.url = ObjectUrl(id);
  request.headers = {{"host", host_}};
  AwsCredentials credentials{settings_.access_key, settings_.secret_key, settings_.session_token};
  if (credentials.empty()) return request;  // anonymous: public buckets
  SigningRequest signing{std::move(method), host_, EncodedPath(id), {}, {}, payload_sha256};
  HttpHeaders auth = SignS3Request(signing, credentials, settings_.region, AmzDate(std::chrono::system_clock::now()));
  request.headers.insert(request.headers.end(), auth.begin(), auth.end());
  return request;
}

Status S3Remote::Failure(std::string_view method, const ObjectId& id, const HttpResponse& response) const {
  Status status = S3ResponseError(What(method, id), response);
  if (response.status == 403 && settings_.access_key.empty()) {
    return Status(status.code(), status.message() +
                                     " (no AWS credentials were found: set AWS_ACCESS_KEY_ID and "
                                     "AWS_SECRET_ACCESS_KEY, or AWS_PROFILE)");
  }
  return status;
}

Result<bool> S3Remote::Has(const ObjectId& id) {
  Result<HttpResponse> response = PerformHttp(SignedRequest("HEAD", id, kEmptySha256));
  if (!response.ok()) return response.status().WithContext(What("HEAD", id));
  if (response->status == 200) return true;
  if (response->status == 404) return false;
  return Failure("HEAD", id, *response);
}

Status S3Remote::Put(const ObjectId& id, const std::string& local_path) {
  int fd = open(local_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return IOError("{}: cannot open {}: {}", What("PUT", id), local_path, std::strerror(errno));
  std::unique_ptr<int, void (*)(int*)> closer(&fd, [](int* f) { close(*f); });
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return IOError("{}: {} is not a regular file", What("PUT", id), local_path);
  if (static_cast<uint64_t>(st.st_size) > kMaxRemoteObjectBytes) {
    return LimitExceeded("{}: {} bytes is over S3's 5 GiB limit for one PUT", What("PUT", id), st.st_size);
  }
  GM_ASSIGN_OR_RETURN(Digest sha256, FileSha256(local_path));
  HttpRequest request = SignedRequest("PUT", id, ToHex(sha256));
  request.upload_fd = fd;
  request.upload_size = static_cast<uint64_t>(st.st_size);
  Result<HttpResponse> response = PerformHttp(request);
  if (!response.ok()) return response.status().WithContext(What("PUT", id));
  if (response->status != 200) return Failure("PUT", id, *response);
  return OkStatus();
}

Status S3Remote::Get(const ObjectId& id, const std::string& dest_path) {
  GM_ASSIGN_OR_RETURN(AtomicFileWriter writer, AtomicFileWriter::Create(dest_path, 0444));
  HttpRequest request = SignedRequest("GET", id, kEmptySha256);
  uint64_t received = 0;
  request.body_sink = [&](std::span<const std::byte> bytes) -> Status {
    received += bytes.size();
    if (received > kMaxRemoteObjectBytes) {
      return LimitExceeded("{}: the object is larger than {} bytes", What("GET", id), kMaxRemoteObjectBytes);
    }
    return writer.Write(bytes);
  };
  Result<HttpResponse> response = PerformHttp(request);
  if (!response.ok()) {
    Status status = response.status();
    return status.code() == Code::kIO ? status.WithContext(What("GET", id)) : status;
  }
  if (response->status != 200) return Failure("GET", id, *response);
  return writer.Commit();
}

}  // namespace gitmodel
