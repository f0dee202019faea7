#include "git/remote_url.h"

#include <algorithm>
#include <cctype>

namespace gitmodel {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

bool IsSshScheme(std::string_view scheme) {
  return scheme == "ssh" || scheme == "git+ssh" || scheme == "ssh+git";
}

// "user:password" -> "user"; "user" -> "user".
std::string_view UserOnly(std::string_view userinfo) { return userinfo.substr(0, userinfo.find(':')); }

// Drops "?query" (up to a "#fragment", which is kept) from the part after the authority.
std::string WithoutQuery(std::string_view rest) {
  size_t q = rest.find('?');
  if (q == std::string_view::npos) return std::string(rest);
  size_t hash = rest.find('#', q);
  std::string out(rest.substr(0, q));
  if (hash != std::string_view::npos) out += rest.substr(hash);
  return out;
}

std::string StripSchemeUrl(std::string_view url, size_t scheme_end) {
  std::string scheme = Lower(url.substr(0, scheme_end));
  size_t authority_begin = scheme_end + 3;
  size_t authority_end = url.find_first_of("/?#", authority_begin);
  if (authority_end == std::string_view::npos) authority_end = url.size();
  std::string_view authority = url.substr(authority_begin, authority_end - authority_begin);
  std::string_view rest = url.substr(authority_end);
  size_t at = authority.rfind('@');
  std::string out(url.substr(0, authority_begin));
  if (at != std::string_view::npos) {
    if (IsSshScheme(scheme)) out += std::string(UserOnly(authority.substr(0, at))) + "@";
    authority = authority.substr(at + 1);
  }
  out += authority;
  out += (scheme == "http" || scheme == "https") ? WithoutQuery(rest) : std::string(rest);
  return out;
}

// scp-like "user:password@host:path" -> "user@host:path". Only rewritten when the text before the
// first '/' holds an '@' followed by a "host:" part, so local paths are left alone.
std::string StripScpLike(std::string_view url) {
  std::string_view head = url.substr(0, url.find('/'));
  size_t at = head.rfind('@');
  if (at == std::string_view::npos || head.find(':', at) == std::string_view::npos) return std::string(url);
  std::string_view user = UserOnly(url.substr(0, at));
  return std::string(user) + std::string(url.substr(at));
}

}  // namespace

std::string StripCredentials(std::string_view url) {
  size_t scheme_end = url.find("://");
  if (scheme_end != std::string_view::npos && scheme_end > 0 &&
      url.substr(0, scheme_end).find_first_of("/@:") == std::string_view::npos) {
    return StripSchemeUrl(url, scheme_end);
  }
  return StripScpLike(url);
}

}  // namespace gitmodel
