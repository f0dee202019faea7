#include "hyperparams/yaml_scalar.h"

#include <charconv>
#include <cstdint>
#include <limits>
#include <optional>

#include "hyperparams/config_internal.h"

namespace gitmodel {
namespace {

using json = nlohmann::json;

bool AllOf(std::string_view s, std::string_view allowed) {
  return !s.empty() && s.find_first_not_of(allowed) == std::string_view::npos;
}

// An unsigned integer in `base`; beyond 64 bits: the original text, kept as a string.
json UnsignedInt(std::string_view digits, int base, std::string_view original, bool negative) {
  uint64_t u = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), u, base);
  if (ec != std::errc()) return json(Utf8Text(original));
  constexpr uint64_t kMaxInt = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  if (!negative) return u <= kMaxInt ? json(static_cast<int64_t>(u)) : json(u);
  if (u <= kMaxInt) return json(-static_cast<int64_t>(u));
  if (u == kMaxInt + 1) return json(std::numeric_limits<int64_t>::min());
  return json(Utf8Text(original));
}

std::optional<json> CoreInt(std::string_view s) {
  if (s.size() > 2 && s[0] == '0' && s[1] == 'o' && AllOf(s.substr(2), "01234567"))
    return UnsignedInt(s.substr(2), 8, s, false);
  if (s.size() > 2 && s[0] == '0' && s[1] == 'x' && AllOf(s.substr(2), "0123456789abcdefABCDEF"))
    return UnsignedInt(s.substr(2), 16, s, false);
  const bool negative = !s.empty() && s[0] == '-';
  std::string_view digits = !s.empty() && (s[0] == '-' || s[0] == '+') ? s.substr(1) : s;
  if (!AllOf(digits, "0123456789")) return std::nullopt;
  return UnsignedInt(digits, 10, s, negative);
}

std::optional<json> CoreFloat(std::string_view s) {
  const bool negative = !s.empty() && s[0] == '-';
  const std::string_view body = !s.empty() && (s[0] == '-' || s[0] == '+') ? s.substr(1) : s;
  if (body == ".inf" || body == ".Inf" || body == ".INF")
    return json(negative ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity());
  if (s == ".nan" || s == ".NaN" || s == ".NAN") return json(std::numeric_limits<double>::quiet_NaN());
  if (!IsDecimalFloatText(body)) return std::nullopt;
  const double v = DecimalFloat(body);
  return json(negative ? -v : v);
}

}  // namespace

json ResolvePlainYamlScalar(std::string_view s) {
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return json(nullptr);
  if (s == "true" || s == "True" || s == "TRUE") return json(true);
  if (s == "false" || s == "False" || s == "FALSE") return json(false);
  if (auto i = CoreInt(s)) return *i;
  if (auto f = CoreFloat(s)) return *f;
  return json(Utf8Text(s));
}

json ResolveYamlScalar(std::string_view tag, std::string_view text) {
  if (tag == "!" || tag == "tag:yaml.org,2002:str") return json(Utf8Text(text));
  return ResolvePlainYamlScalar(text);
}

}  // namespace gitmodel
