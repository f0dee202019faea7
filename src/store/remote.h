// Remote object stores (docs/storage.md, "Remotes"): the same layout as the local store
// (objects/<2 hex>/<62 hex>, the same object files) under a `file://` directory or an
// `s3://bucket/prefix`. A Remote moves whole object files; checking what they hold is the caller's.
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
  // partial object (file: temp + fsync + rename; S3: one PUT).
  virtual Status Put(const ObjectId& id, const std::string& local_path) = 0;
  // Downloads object `id` to `dest_path` (created or replaced). kNotFound when the remote lacks it.
  virtual Status Get(const ObjectId& id, const std::string& dest_path) = 0;
  virtual std::string Describe() const = 0;  // the URL, for messages
};

struct S3Settings {
  std::string endpoint;   // "http://127.0.0.1:4568"; empty: https://s3.<region>.amazonaws.com
  std::string region;     // default "us-east-1"
  bool path_style = false;  // bucket in the path instead of the host name
  std::string access_key, secret_key, session_token;
};

// Opens `url` ("file:///abs/path", "s3://bucket/prefix"). S3 settings come from `s3`, whose empty
// fields are filled from the standard AWS environment variables and files (AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION/AWS_DEFAULT_REGION, AWS_ENDPOINT_URL,
// AWS_PROFILE with ~/.aws/credentials and ~/.aws/config). kInvalidArgument for other schemes.
Result<std::unique_ptr<Remote>> OpenRemote(const std::string& url, const S3Settings& s3 = {});

}  // namespace gitmodel
