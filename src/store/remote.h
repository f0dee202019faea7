// Remote object stores (docs/storage.md, "Remotes"): the same layout as the local store
// (objects/ab/cd/<64 hex>, the same object files) under a `file://` directory or an
// `s3://bucket/prefix`. A Remote moves whole object files; checking what they hold is the caller's
// (transfer.h verifies every download before installing it).
//
// Errors are one line naming the remote, the operation and the object. Their code says whether
// trying again may help: kIO is transient (connection refused or reset, timeout, HTTP 5xx, 429,
// S3's SlowDown / RequestTimeout / InternalError, a local write that failed); every other code is
// final (kNotFound: no such object; kInvalidArgument: the remote refused the request: credentials,
// permissions, bucket, region; kCorrupt, kLimit: what it sent is unusable).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gitmodel/status.h"
#include "store/object_id.h"

namespace gitmodel {

class Remote {
 public:
  virtual ~Remote() = default;
  // Safe to call from several threads at once (transfers run in parallel).
  virtual Result<bool> Has(const ObjectId& id) = 0;
  // Uploads the object file at `local_path` as `id`. Atomic on the remote: a reader never sees a
  // partial object (file: temp + fsync + rename; S3: one PUT whose SHA-256 S3 checks).
  virtual Status Put(const ObjectId& id, const std::string& local_path) = 0;
  // Downloads object `id` to `dest_path` (created or replaced atomically: temp file beside it,
  // fsync, rename). kNotFound when the remote lacks it.
  virtual Status Get(const ObjectId& id, const std::string& dest_path) = 0;
  virtual std::string Describe() const = 0;  // the URL, for messages
};

// Whether an operation that failed with `status` may succeed when tried again (see above).
inline bool IsRetryable(const Status& status) { return status.code() == Code::kIO; }

// The largest object file a remote will send or accept: S3's limit for one PUT (5 GiB), far above
// any chunk, so a hostile server cannot fill the disk.
inline constexpr uint64_t kMaxRemoteObjectBytes = uint64_t{5} << 30;

struct S3Settings {
  std::string endpoint;   // "http://127.0.0.1:4568"; empty: https://s3.<region>.amazonaws.com
  std::string region;     // default "us-east-1"
  // Bucket in the path instead of the host name. false lets the configuration decide
  // (aws_config.h); buckets whose names are not valid host labels always use path style.
  bool path_style = false;
  std::string access_key, secret_key, session_token;  // none: requests go unsigned
};

// Opens `url` ("file:///abs/path", "s3://bucket/prefix"). S3 settings come from `s3`, whose empty
// fields are filled from the standard AWS environment variables and files (aws_config.h:
// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION/AWS_DEFAULT_REGION,
// AWS_ENDPOINT_URL(_S3), AWS_PROFILE with ~/.aws/credentials and ~/.aws/config).
// kInvalidArgument for other schemes and malformed URLs. Opening does not contact the remote.
Result<std::unique_ptr<Remote>> OpenRemote(const std::string& url, const S3Settings& s3 = {});

}  // namespace gitmodel
