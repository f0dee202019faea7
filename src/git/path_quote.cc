#include "git/path_quote.h"

#include <algorithm>

#include <fmt/core.h>

namespace gitmodel {
namespace {

bool NeedsQuoting(unsigned char c) { return c == '"' || c == '\\' || c < ' ' || c > '~'; }

}  // namespace

std::string QuoteGitPath(std::string_view path) {
  if (std::none_of(path.begin(), path.end(), [](unsigned char c) { return NeedsQuoting(c); })) {
    return std::string(path);
  }
  static constexpr char kWhitespace[] = "abtnvfr";  // escapes of '\a' (7) to '\r' (13)
  std::string out = "\"";
  for (unsigned char c : path) {
    if (c >= '\a' && c <= '\r') {
      out += '\\';
      out += kWhitespace[c - '\a'];
    } else if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (NeedsQuoting(c)) {
      out += fmt::format("\\{:03o}", c);
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

}  // namespace gitmodel
