#include "formats/pickle_text.h"

#include <charconv>
#include <cstdlib>
#include <vector>

#include "base/hex_digit.h"

namespace gitmodel {

std::optional<int64_t> ParseDecimalInt(std::string_view text) {
  if (!text.empty() && text.back() == 'L') text.remove_suffix(1);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

bool IsDecimalInteger(std::string_view text) {
  if (!text.empty() && text.back() == 'L') text.remove_suffix(1);
  if (!text.empty() && (text.front() == '-' || text.front() == '+')) text.remove_prefix(1);
  if (text.empty()) return false;
  for (char c : text)
    if (c < '0' || c > '9') return false;
  return true;
}

std::optional<double> ParseFloatText(std::string_view text) {
  std::string s(text);  // strtod needs a terminated string; handles inf/nan spellings too
  if (s.empty()) return std::nullopt;
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size()) return std::nullopt;
  return v;
}

namespace {


std::optional<uint32_t> ParseHex(std::string_view s) {
  uint32_t v = 0;
  for (char c : s) {
    int h = HexDigitValue(c);
    if (h < 0) return std::nullopt;
    v = v * 16 + static_cast<uint32_t>(h);
  }
  return v;
}

// One backslash escape of a Python byte-string literal starting after the backslash.
bool DecodeEscape(std::string_view body, size_t& i, std::string& out) {
  char c = body[i++];
  switch (c) {
    case 'n': out += '\n'; return true;
    case 't': out += '\t'; return true;
    case 'r': out += '\r'; return true;
    case '\\': out += '\\'; return true;
    case '\'': out += '\''; return true;
    case '"': out += '"'; return true;
    case 'a': out += '\a'; return true;
    case 'b': out += '\b'; return true;
    case 'f': out += '\f'; return true;
    case 'v': out += '\v'; return true;
    case '\n': return true;
    case 'x': {
      if (i + 2 > body.size()) return false;
      auto v = ParseHex(body.substr(i, 2));
      if (!v) return false;
      out += static_cast<char>(*v);
      i += 2;
      return true;
    }
    default:
      if (c >= '0' && c <= '7') {
        int v = c - '0';
        for (int k = 0; k < 2 && i < body.size() && body[i] >= '0' && body[i] <= '7'; ++k)
          v = v * 8 + (body[i++] - '0');
        out += static_cast<char>(v & 0xff);
        return true;
      }
      out += '\\';
      out += c;
      return true;
  }
}

}  // namespace

std::optional<std::string> UnquotePythonString(std::string_view text) {
  if (text.size() < 2) return std::nullopt;
  char q = text.front();
  if ((q != '\'' && q != '"') || text.back() != q) return std::nullopt;
  std::string_view body = text.substr(1, text.size() - 2);
  std::string out;
  for (size_t i = 0; i < body.size();) {
    if (body[i] != '\\') {
      out += body[i++];
      continue;
    }
    if (++i >= body.size() || !DecodeEscape(body, i, out)) return std::nullopt;
  }
  return out;
}

void AppendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

std::optional<std::string> DecodeRawUnicodeEscape(std::string_view text) {
  // Input bytes are Latin-1 except for \uXXXX and \UXXXXXXXX escapes.
  std::string out;
  for (size_t i = 0; i < text.size();) {
    if (text[i] == '\\' && i + 1 < text.size() && (text[i + 1] == 'u' || text[i + 1] == 'U')) {
      size_t n = text[i + 1] == 'u' ? 4 : 8;
      if (i + 2 + n > text.size()) return std::nullopt;
      auto cp = ParseHex(text.substr(i + 2, n));
      if (!cp || *cp > 0x10FFFF) return std::nullopt;
      AppendUtf8(out, *cp);
      i += 2 + n;
    } else {
      AppendUtf8(out, static_cast<unsigned char>(text[i++]));
    }
  }
  return out;
}

std::optional<int64_t> LittleEndianToInt64(std::span<const std::byte> bytes) {
  if (bytes.empty()) return 0;
  bool negative = (static_cast<uint8_t>(bytes.back()) & 0x80) != 0;
  // Bytes beyond the 8th must be pure sign extension for the value to fit.
  for (size_t i = 8; i < bytes.size(); ++i)
    if (static_cast<uint8_t>(bytes[i]) != (negative ? 0xFF : 0x00)) return std::nullopt;
  uint64_t v = negative ? ~0ull : 0;
  size_t n = std::min<size_t>(bytes.size(), 8);
  for (size_t i = 0; i < n; ++i) {
    v &= ~(0xFFull << (8 * i));
    v |= static_cast<uint64_t>(static_cast<uint8_t>(bytes[i])) << (8 * i);
  }
  int64_t s = static_cast<int64_t>(v);
  if (bytes.size() > 8 && ((s < 0) != negative)) return std::nullopt;
  return s;
}

std::string LittleEndianToDecimal(std::span<const std::byte> bytes) {
  if (bytes.empty()) return "0";
  bool negative = (static_cast<uint8_t>(bytes.back()) & 0x80) != 0;
  std::vector<uint8_t> mag(bytes.size());
  for (size_t i = 0; i < bytes.size(); ++i) mag[i] = static_cast<uint8_t>(bytes[i]);
  if (negative) {  // two's complement magnitude: invert and add one
    unsigned carry = 1;
    for (auto& b : mag) {
      unsigned v = static_cast<uint8_t>(~b) + carry;
      b = static_cast<uint8_t>(v);
      carry = v >> 8;
    }
  }
  std::string digits;
  // Repeated division by 10 over the little-endian magnitude: quadratic, fine for the
  // bounded sizes callers pass.
  while (true) {
    bool zero = true;
    unsigned rem = 0;
    for (size_t i = mag.size(); i-- > 0;) {
      unsigned cur = (rem << 8) | mag[i];
      mag[i] = static_cast<uint8_t>(cur / 10);
      rem = cur % 10;
      if (mag[i]) zero = false;
    }
    digits += static_cast<char>('0' + rem);
    if (zero) break;
  }
  if (negative) digits += '-';
  return std::string(digits.rbegin(), digits.rend());
}

std::optional<std::string> Utf8ToLatin1(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      out += static_cast<char>(c);
      ++i;
    } else if ((c & 0xE0) == 0xC0 && i + 1 < s.size()) {
      uint32_t cp = ((c & 0x1F) << 6) | (static_cast<unsigned char>(s[i + 1]) & 0x3F);
      if (cp > 0xFF) return std::nullopt;
      out += static_cast<char>(cp);
      i += 2;
    } else {
      return std::nullopt;
    }
  }
  return out;
}

}  // namespace gitmodel
