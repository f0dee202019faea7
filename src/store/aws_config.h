// S3 settings from the standard AWS environment variables and shared files, resolved the way the
// AWS CLI does (docs/storage.md, "Remotes"):
//
//   credentials: AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN), else the profile's
//                aws_access_key_id / aws_secret_access_key / aws_session_token from the
//                credentials file, else from the config file;
//   region:      AWS_REGION, AWS_DEFAULT_REGION, the profile's `region`, "us-east-1";
//   endpoint:    AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, the profile's `s3 = endpoint_url`, its
//                `endpoint_url`, else AWS itself;
//   addressing:  the profile's `s3 = addressing_style` (path, virtual, auto); auto means path style
//                with an endpoint override and virtual-host style on AWS.
//
// The profile is AWS_PROFILE (else "default"); its section is `[name]` in the credentials file
// (AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/credentials) and `[profile name]` (or `[default]`) in
// the config file (AWS_CONFIG_FILE, else ~/.aws/config).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "gitmodel/status.h"
#include "store/remote.h"

namespace gitmodel {

// Reads one environment variable; nullopt when it is unset. Tests pass a map instead of the process.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;
EnvLookup ProcessEnvironment();

// An INI file as the AWS tools read it: section -> key -> value. An indented `key = value` under a
// key with an empty value (`s3 =`) is stored as "s3.key". Comment lines start with # or ;.
using IniSections = std::map<std::string, std::map<std::string, std::string>>;
Result<IniSections> ParseAwsIni(std::string_view text, std::string_view path);

// `given` with its empty fields filled as above. Explicit fields win; `path_style = true` forces
// path style, false leaves the choice to the configuration. kInvalidArgument when AWS_PROFILE names
// a profile that neither file has, or a file does not parse.
Result<S3Settings> ResolveS3Settings(const S3Settings& given, const EnvLookup& env);

}  // namespace gitmodel
