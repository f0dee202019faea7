#include "store/aws_config.h"

#include <sys/stat.h>

#include <cstdlib>
#include <vector>

#include "base/atomic_file.h"

namespace gitmodel {
namespace {

constexpr uint64_t kMaxAwsFileBytes = 1 << 20;

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

std::optional<std::string> NonEmpty(const EnvLookup& env, const std::string& name) {
  std::optional<std::string> value = env(name);
  if (value && value->empty()) return std::nullopt;
  return value;
}

std::string ExpandHome(const std::string& path, const EnvLookup& env) {
  if (!path.starts_with("~/")) return path;
  return NonEmpty(env, "HOME").value_or("") + path.substr(1);
}

// A file named by `variable`, else ~/.aws/<name>; empty when there is no HOME either.
std::string AwsFilePath(const EnvLookup& env, const std::string& variable, const std::string& name) {
  if (auto path = NonEmpty(env, variable)) return ExpandHome(*path, env);
  if (auto home = NonEmpty(env, "HOME")) return *home + "/.aws/" + name;
  return "";
}

// The parsed file; no sections when it does not exist or is not a file (AWS_CONFIG_FILE=/dev/null).
Result<IniSections> LoadAwsFile(const std::string& path) {
  struct stat st;
  if (path.empty() || stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return IniSections{};
  GM_ASSIGN_OR_RETURN(std::string text, ReadSmallFile(path, kMaxAwsFileBytes));
  return ParseAwsIni(text, path);
}

const std::map<std::string, std::string>* Section(const IniSections& file, const std::string& name) {
  auto it = file.find(name);
  return it == file.end() ? nullptr : &it->second;
}

std::string Value(const std::map<std::string, std::string>* section, const std::string& key) {
  if (section == nullptr) return "";
  auto it = section->find(key);
  return it == section->end() ? "" : it->second;
}

struct Profile {
  const std::map<std::string, std::string>* credentials = nullptr;  // [name] in credentials
  const std::map<std::string, std::string>* config = nullptr;       // [profile name] in config
};

Profile FindProfile(const IniSections& credentials, const IniSections& config, const std::string& name) {
  Profile profile{Section(credentials, name), Section(config, "profile " + name)};
  if (profile.config == nullptr && name == "default") profile.config = Section(config, "default");
  return profile;
}

void FillCredentials(S3Settings& s3, const EnvLookup& env, const Profile& profile) {
  if (!s3.access_key.empty()) return;
  auto key = NonEmpty(env, "AWS_ACCESS_KEY_ID");
  auto secret = NonEmpty(env, "AWS_SECRET_ACCESS_KEY");
  if (key && secret) {
    s3.access_key = *key;
    s3.secret_key = *secret;
    s3.session_token = NonEmpty(env, "AWS_SESSION_TOKEN").value_or("");
    return;
  }
  for (const auto* section : {profile.credentials, profile.config}) {
    if (Value(section, "aws_access_key_id").empty()) continue;
    s3.access_key = Value(section, "aws_access_key_id");
    s3.secret_key = Value(section, "aws_secret_access_key");
    s3.session_token = Value(section, "aws_session_token");
    return;
  }
}

std::string FirstOf(std::initializer_list<std::string> candidates) {
  for (const std::string& candidate : candidates) {
    if (!candidate.empty()) return candidate;
  }
  return "";
}

}  // namespace

EnvLookup ProcessEnvironment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

Result<IniSections> ParseAwsIni(std::string_view text, std::string_view path) {
  IniSections sections;
  std::string section, parent;  // parent: a key with an empty value, for indented sub-keys
  size_t line_number = 0;
  while (!text.empty()) {
    size_t end = text.find('\n');
    std::string_view raw = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    ++line_number;
    std::string_view line = Trim(raw);
    if (line.empty() || line.front() == '#' || line.front() == ';') continue;
    if (line.front() == '[') {
      if (line.back() != ']') return InvalidArgument("{}:{}: section header without ']'", path, line_number);
      section = std::string(Trim(line.substr(1, line.size() - 2)));
      sections[section];
      parent.clear();
      continue;
    }
    size_t eq = line.find('=');
    if (eq == std::string_view::npos || section.empty()) {
      return InvalidArgument("{}:{}: expected 'key = value' inside a [section]", path, line_number);
    }
    std::string key(Trim(line.substr(0, eq)));
    std::string value(Trim(line.substr(eq + 1)));
    bool indented = raw.front() == ' ' || raw.front() == '\t';
    if (indented && !parent.empty()) key = parent + "." + key;
    else parent = value.empty() ? key : "";
    sections[section][key] = value;
  }
  return sections;
}

Result<S3Settings> ResolveS3Settings(const S3Settings& given, const EnvLookup& env) {
  GM_ASSIGN_OR_RETURN(IniSections credentials,
                      LoadAwsFile(AwsFilePath(env, "AWS_SHARED_CREDENTIALS_FILE", "credentials")));
  GM_ASSIGN_OR_RETURN(IniSections config, LoadAwsFile(AwsFilePath(env, "AWS_CONFIG_FILE", "config")));
  std::optional<std::string> named = NonEmpty(env, "AWS_PROFILE");
  Profile profile = FindProfile(credentials, config, named.value_or("default"));
  if (named && profile.credentials == nullptr && profile.config == nullptr) {
    return InvalidArgument("AWS profile '{}' (AWS_PROFILE) is in neither the AWS credentials nor the config file",
                           *named);
  }
  S3Settings s3 = given;
  FillCredentials(s3, env, profile);
  s3.region = FirstOf({s3.region, NonEmpty(env, "AWS_REGION").value_or(""),
                       NonEmpty(env, "AWS_DEFAULT_REGION").value_or(""), Value(profile.config, "region"),
                       "us-east-1"});
  s3.endpoint = FirstOf({s3.endpoint, NonEmpty(env, "AWS_ENDPOINT_URL_S3").value_or(""),
                         NonEmpty(env, "AWS_ENDPOINT_URL").value_or(""), Value(profile.config, "s3.endpoint_url"),
                         Value(profile.config, "endpoint_url")});
  std::string style = Value(profile.config, "s3.addressing_style");
  if (!s3.path_style) s3.path_style = style == "path" || (style != "virtual" && !s3.endpoint.empty());
  return s3;
}

}  // namespace gitmodel
