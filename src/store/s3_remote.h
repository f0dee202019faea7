// An S3 (or S3-compatible) bucket as a Remote: object `id` is the key
// `<prefix>/objects/ab/cd/<64 hex>` (no leading slash when the prefix is empty). Requests are
// signed with SigV4 (sigv4.h); bodies stream from and to files, never held in memory.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "gitmodel/status.h"
#include "store/http_client.h"
#include "store/remote.h"

namespace gitmodel {

struct S3Location {
  std::string bucket;
  std::string prefix;  // without leading or trailing '/'; may be empty
};

// "s3://bucket", "s3://bucket/", "s3://bucket/a/b/" -> {bucket, "a/b"}. kInvalidArgument for
// another scheme, an empty or ill-formed bucket name, or "." / ".." / empty path segments.
Result<S3Location> ParseS3Url(std::string_view url);

// The key of object `id` under `prefix`.
std::string S3ObjectKey(std::string_view prefix, const ObjectId& id);

class S3Remote final : public Remote {
 public:
  // `settings` are final (aws_config.h has resolved them). kInvalidArgument for a malformed
  // endpoint or region.
  static Result<std::unique_ptr<S3Remote>> Create(const S3Location& location, const S3Settings& settings);

  Result<bool> Has(const ObjectId& id) override;
  Status Put(const ObjectId& id, const std::string& local_path) override;
  Status Get(const ObjectId& id, const std::string& dest_path) override;
  std::string Describe() const override;

  // The request URL of object `id` and the Host header sent with it (for tests and messages).
  std::string ObjectUrl(const ObjectId& id) const;
  const std::string& host() const { return host_; }

 private:
  S3Remote(S3Location location, S3Settings settings, std::string scheme, std::string host, bool path_style)
      : location_(std::move(location)), settings_(std::move(settings)), scheme_(std::move(scheme)),
        host_(std::move(host)), path_style_(path_style) {}

  std::string EncodedPath(const ObjectId& id) const;
  HttpRequest SignedRequest(std::string method, const ObjectId& id, const std::string& payload_sha256) const;
  // "s3://b/p: GET objects/ab/cd/<hex>" for messages.
  std::string What(std::string_view method, const ObjectId& id) const;
  Status Failure(std::string_view method, const ObjectId& id, const HttpResponse& response) const;

  S3Location location_;
  S3Settings settings_;
  std::string scheme_;  // "http" or "https"
  std::string host_;    // host[:port] as sent in the Host header
  bool path_style_;
};

}  // namespace gitmodel
