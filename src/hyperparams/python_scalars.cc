// Python string and number tokens decoded as Python reads them (python_literal.h).
#include <cctype>
#include <charconv>
#include <cstdint>
#include <limits>

#include "formats/pickle_text.h"
#include "hyperparams/config_internal.h"
#include "hyperparams/python_literal.h"

namespace gitmodel {
namespace {

using json = nlohmann::json;

std::optional<uint32_t> HexDigits(std::string_view digits, size_t count) {
  if (digits.size() < count) return std::nullopt;
  uint32_t v = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + count, v, 16);
  if (ec != std::errc() || end != digits.data() + count) return std::nullopt;
  return v;
}

void AppendCodePoint(std::string& out, uint32_t cp) {
  AppendUtf8(out, cp >= 0xD800 && cp <= 0xDFFF ? 0xFFFD : cp);  // lone surrogates are not UTF-8
}

// Python's escape sequences in a non-raw str literal; unknown escapes keep their backslash.
std::optional<std::string> DecodeEscapes(std::string_view body) {
  std::string out;
  for (size_t i = 0; i < body.size(); ++i) {
    if (body[i] != '\\' || i + 1 == body.size()) {
      out += body[i];
      continue;
    }
    const char n = body[++i];
    static constexpr std::string_view kSimple = "\\'\"abfnrtv", kValues = "\\'\"\a\b\f\n\r\t\v";
    if (n == '\n') continue;  // backslash-newline: a continuation inside the string
    if (const size_t k = kSimple.find(n); k != std::string_view::npos) {
      out += kValues[k];
    } else if (n == 'x' || n == 'u' || n == 'U') {
      const size_t len = n == 'x' ? 2 : n == 'u' ? 4 : 8;
      const auto cp = HexDigits(body.substr(i + 1), len);
      if (!cp || *cp > 0x10FFFF) return std::nullopt;
      AppendCodePoint(out, *cp);
      i += len;
    } else if (n >= '0' && n <= '7') {
      uint32_t cp = 0;
      size_t digits = 0;
      for (; digits < 3 && i + digits < body.size() && body[i + digits] >= '0' && body[i + digits] <= '7'; ++digits)
        cp = cp * 8 + static_cast<uint32_t>(body[i + digits] - '0');
      AppendCodePoint(out, cp);
      i += digits - 1;
    } else if (n == 'N') {
      return std::nullopt;  // \N{NAME} needs the Unicode name table
    } else {
      out += '\\';
      out += n;
    }
  }
  return out;
}

std::string UniversalNewlines(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\r') {
      out += s[i];
    } else {
      out += '\n';
      if (i + 1 < s.size() && s[i + 1] == '\n') ++i;
    }
  }
  return out;
}

std::optional<json> SignedInteger(uint64_t u, bool negative) {
  constexpr uint64_t kMax = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  if (!negative) return u <= kMax ? json(static_cast<int64_t>(u)) : json(u);
  if (u <= kMax) return json(-static_cast<int64_t>(u));
  if (u == kMax + 1) return json(std::numeric_limits<int64_t>::min());
  return std::nullopt;
}

std::optional<json> IntegerInBase(std::string_view digits, int base, bool negative) {
  uint64_t u = 0;
  if (digits.empty()) return std::nullopt;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), u, base);
  if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return SignedInteger(u, negative);
}

}  // namespace

std::optional<std::string> DecodePyString(std::string_view token) {
  size_t p = 0;
  while (p < token.size() && std::isalpha(static_cast<unsigned char>(token[p]))) ++p;
  const std::string prefix = AsciiLowercase(token.substr(0, p));
  if (prefix.find_first_of("bft") != std::string::npos || p >= token.size()) return std::nullopt;
  const char q = token[p];
  const size_t quotes = token.substr(p, 3) == std::string(3, q) && token.size() >= p + 6 ? 3 : 1;
  if (token.size() < p + 2 * quotes) return std::nullopt;
  const std::string body = UniversalNewlines(token.substr(p + quotes, token.size() - p - 2 * quotes));
  if (prefix.find('r') != std::string::npos) return Utf8Text(body);
  auto decoded = DecodeEscapes(body);
  if (!decoded) return std::nullopt;
  return Utf8Text(*decoded);
}

std::optional<json> DecodePyNumber(std::string_view token, bool negative) {
  std::string s;
  for (char c : token)
    if (c != '_') s += c;
  if (s.empty() || s.back() == 'j' || s.back() == 'J') return std::nullopt;  // imaginary
  const std::string lower = AsciiLowercase(s);
  if (lower.size() > 2 && lower[0] == '0' && (lower[1] == 'x' || lower[1] == 'o' || lower[1] == 'b'))
    return IntegerInBase(lower.substr(2), lower[1] == 'x' ? 16 : lower[1] == 'o' ? 8 : 2, negative);
  if (lower.find_first_of(".e") != std::string::npos) {
    if (!IsDecimalFloatText(lower)) return std::nullopt;
    const double v = DecimalFloat(lower);
    return json(negative ? -v : v);
  }
  if (lower.size() > 1 && lower[0] == '0' && lower.find_first_not_of('0') != std::string::npos) return std::nullopt;
  return IntegerInBase(lower, 10, negative);
}

}  // namespace gitmodel
