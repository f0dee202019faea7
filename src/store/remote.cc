#include "store/remote.h"

#include "store/aws_config.h"
#include "store/file_remote.h"
#include "store/s3_remote.h"

namespace gitmodel {

Result<std::unique_ptr<Remote>> OpenRemote(const std::string& url, const S3Settings& s3) {
  if (url.starts_with("file://")) {
    GM_ASSIGN_OR_RETURN(std::string root, ParseFileUrl(url));
    return std::unique_ptr<Remote>(std::make_unique<FileRemote>(url, root));
  }
  if (url.starts_with("s3://")) {
    GM_ASSIGN_OR_RETURN(S3Location location, ParseS3Url(url));
    GM_ASSIGN_OR_RETURN(S3Settings settings, ResolveS3Settings(s3, ProcessEnvironment()));
    GM_ASSIGN_OR_RETURN(std::unique_ptr<S3Remote> remote, S3Remote::Create(location, settings));
    return std::unique_ptr<Remote>(std::move(remote));
  }
  return InvalidArgument("'{}' is not a remote URL git-model knows (file:///path or s3://bucket/prefix)", url);
}

}  // namespace gitmodel
