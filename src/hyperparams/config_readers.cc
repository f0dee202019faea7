#include "hyperparams/config_readers.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <limits>

#include "base/mapped_file.h"
#include "hyperparams/config_internal.h"

namespace gitmodel {
namespace {

std::string_view JsonTypeName(const nlohmann::json& v) {
  if (v.is_array()) return "a list";
  if (v.is_string()) return "a string";
  if (v.is_boolean()) return "a boolean";
  return "a number";
}

}  // namespace

std::string_view ConfigFormatName(ConfigFormat format) {
  switch (format) {
    case ConfigFormat::kYaml: return "yaml";
    case ConfigFormat::kJson: return "json";
    case ConfigFormat::kToml: return "toml";
    case ConfigFormat::kPython: return "python";
  }
  return "unknown";
}

Result<ConfigFormat> ConfigFormatForPath(std::string_view path) {
  const size_t slash = path.find_last_of('/');
  const std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
  const size_t dot = base.find_last_of('.');
  const std::string ext = dot == std::string_view::npos ? "" : AsciiLowercase(base.substr(dot));
  if (ext == ".yaml" || ext == ".yml") return ConfigFormat::kYaml;
  if (ext == ".json") return ConfigFormat::kJson;
  if (ext == ".toml") return ConfigFormat::kToml;
  if (ext == ".py") return ConfigFormat::kPython;
  return InvalidArgument("{}: unknown config format (accepted extensions: .yaml .yml .json .toml .py)", path);
}

Result<FlatParams> ParseConfigText(ConfigFormat format, std::string_view text, std::string_view name) {
  if (text.size() > kMaxConfigBytes)
    return LimitExceeded("{}: config is {} bytes, more than the limit of {}", name, text.size(), kMaxConfigBytes);
  switch (format) {
    case ConfigFormat::kYaml: return ParseYamlConfig(text, name);
    case ConfigFormat::kJson: return ParseJsonConfig(text, name);
    case ConfigFormat::kToml: return ParseTomlConfig(text, name);
    case ConfigFormat::kPython: return ParsePythonConfig(text, name);
  }
  return InvalidArgument("{}: unknown config format", name);
}

Result<FlatParams> ReadConfigFile(const std::string& path) {
  GM_ASSIGN_OR_RETURN(ConfigFormat format, ConfigFormatForPath(path));
  GM_ASSIGN_OR_RETURN(auto file, MappedFile::Open(path));
  const auto bytes = file->bytes();
  if (bytes.size() > kMaxConfigBytes)
    return LimitExceeded("{}: config is {} bytes, more than the limit of {}", path, bytes.size(), kMaxConfigBytes);
  return ParseConfigText(format, std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()), path);
}

Result<FlatParams> FlattenConfigRoot(const nlohmann::json& root, std::string_view name) {
  if (root.is_null()) return FlatParams{};
  if (!root.is_object())
    return InvalidArgument("{}: top level is {}, not a mapping of names to values", name, JsonTypeName(root));
  return FlattenJsonChecked(root, name);
}

size_t LineAt(std::string_view text, size_t offset) {
  offset = std::min(offset, text.size());
  return 1 + static_cast<size_t>(std::count(text.begin(), text.begin() + static_cast<ptrdiff_t>(offset), '\n'));
}

size_t ColumnAt(std::string_view text, size_t offset) {
  offset = std::min(offset, text.size());
  const size_t newline = offset == 0 ? std::string_view::npos : text.rfind('\n', offset - 1);
  return offset - (newline == std::string_view::npos ? 0 : newline + 1) + 1;
}

}  // namespace gitmodel

namespace gitmodel {

bool IsDecimalFloatText(std::string_view s) {
  size_t i = 0, digits = 0;
  auto run = [&] {
    const size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    return i - start;
  };
  digits += run();
  if (i < s.size() && s[i] == '.') {
    ++i;
    digits += run();
  }
  if (digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    if (run() == 0) return false;
  }
  return i == s.size();
}

double DecimalFloat(std::string_view text) {
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc::result_out_of_range) return value;
  // Out of range: decide between inf and 0 by the decimal magnitude of the first non-zero digit.
  const size_t e = text.find_first_of("eE");
  const std::string_view mantissa = text.substr(0, e);
  long exponent = 0;
  if (e != std::string_view::npos) {
    std::string_view exp_text = text.substr(e + 1);
    const bool negative = !exp_text.empty() && exp_text[0] == '-';
    if (!exp_text.empty() && (exp_text[0] == '-' || exp_text[0] == '+')) exp_text.remove_prefix(1);
    for (char c : exp_text) exponent = std::min(exponent * 10 + (c - '0'), 1'000'000L);
    if (negative) exponent = -exponent;
  }
  const size_t point = std::min(mantissa.find('.'), mantissa.size());
  const size_t first = mantissa.find_first_of("123456789");
  if (first == std::string_view::npos) return 0.0;
  const long order = first < point ? static_cast<long>(point - first) : -static_cast<long>(first - point);
  return order + exponent > 0 ? std::numeric_limits<double>::infinity() : 0.0;
}

namespace {

// Length of the well-formed UTF-8 sequence at the start of `s` (Unicode table 3-7: no overlong
// forms, no surrogates, nothing above U+10FFFF), or 0.
size_t WellFormedLength(std::string_view s) {
  const auto b = [&](size_t i) { return i < s.size() ? static_cast<uint8_t>(s[i]) : 0; };
  const uint8_t c = b(0);
  const auto cont = [&](size_t i, uint8_t lo = 0x80, uint8_t hi = 0xBF) { return b(i) >= lo && b(i) <= hi; };
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    const uint8_t lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
    return cont(1, lo, hi) && cont(2) ? 3 : 0;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    const uint8_t lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
    return cont(1, lo, hi) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

}  // namespace

std::string AsciiLowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string Utf8Text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  while (!text.empty()) {
    const size_t len = WellFormedLength(text);
    if (len == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD
      text.remove_prefix(1);
    } else {
      out.append(text.substr(0, len));
      text.remove_prefix(len);
    }
  }
  return out;
}

}  // namespace gitmodel
