// S3's error responses as Status values (remote.h's codes: kIO when trying again may help).
#pragma once

#include <string_view>

#include "gitmodel/status.h"
#include "store/http_client.h"

namespace gitmodel {

// A response that is not 2xx as a one-line Status: "<what>: 403 SignatureDoesNotMatch", with S3's
// error Code from the XML body when there is one (else the reason phrase), and the bucket's region
// for a 301. kIO for 5xx, 408, 429 and SlowDown / RequestTimeout / InternalError /
// ServiceUnavailable; kNotFound for 404 (but NoSuchBucket); kInvalidArgument otherwise.
Status S3ResponseError(std::string_view what, const HttpResponse& response);

}  // namespace gitmodel
