#include "hyperparams/param_override.h"

#include <cmath>
#include <limits>
#include <optional>

#include "formats/node_text.h"
#include "hyperparams/config_internal.h"
#include "hyperparams/yaml_scalar.h"

namespace gitmodel {
namespace {

using json = nlohmann::json;
using Assignment = std::pair<std::string, json>;

// User input shown in a one-line message: valid UTF-8, control characters escaped.
std::string Shown(std::string_view text) { return ValidUtf8(text, /*escape_controls=*/true); }

Status CheckKey(std::string_view key, std::string_view assignment) {
  if (key.empty()) return InvalidArgument("'{}': expected key=value with a non-empty key", Shown(assignment));
  for (char c : key)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f)
      return InvalidArgument("'{}': the key must not contain spaces or control characters", Shown(assignment));
  if (Utf8Text(key) != key) return InvalidArgument("key '{}' is not valid UTF-8", Shown(key));
  if (key.front() == '.' || key.back() == '.' || key.find("..") != std::string_view::npos)
    return InvalidArgument("key '{}' has an empty dotted component", key);
  return OkStatus();
}

Result<std::pair<std::string_view, std::string_view>> Split(std::string_view assignment) {
  const size_t eq = assignment.find('=');
  if (eq == std::string_view::npos) return InvalidArgument("'{}': expected key=value", Shown(assignment));
  const std::string_view key = assignment.substr(0, eq);
  GM_RETURN_IF_ERROR(CheckKey(key, assignment));
  return std::pair{key, assignment.substr(eq + 1)};
}

// A number as typed on a command line: decimal integers and floats, inf and nan.
std::optional<json> Number(std::string_view v) {
  std::string_view body = !v.empty() && (v[0] == '-' || v[0] == '+') ? v.substr(1) : v;
  const bool negative = !v.empty() && v[0] == '-';
  if (body == "inf" || body == "nan") {
    const double x = body == "inf" ? std::numeric_limits<double>::infinity() : std::numeric_limits<double>::quiet_NaN();
    return json(negative ? -x : x);
  }
  if (!IsDecimalFloatText(body)) return std::nullopt;
  json typed = ResolvePlainYamlScalar(v);  // integers as int64/uint64, beyond 64 bits as text
  if (typed.is_number()) return typed;
  const double x = DecimalFloat(body);
  return json(negative ? -x : x);
}

Result<json> ScalarArray(std::string_view v, std::string_view key) {
  json parsed = json::parse(v.begin(), v.end(), nullptr, /*allow_exceptions=*/false);
  bool scalars = parsed.is_array();
  for (const json& item : parsed.is_array() ? parsed : json::array()) scalars = scalars && !item.is_structured();
  if (!scalars)
    return InvalidArgument("--param {}: a value starting with '[' must be a JSON array of scalars, like [1, 2]", key);
  return parsed;
}

}  // namespace

Result<Assignment> ParseParamAssignment(std::string_view assignment) {
  GM_ASSIGN_OR_RETURN(auto parts, Split(assignment));
  auto [key, v] = parts;
  if (v == "true" || v == "True") return Assignment{std::string(key), json(true)};
  if (v == "false" || v == "False") return Assignment{std::string(key), json(false)};
  if (v == "null" || v == "None") return Assignment{std::string(key), json(nullptr)};
  if (auto n = Number(v)) return Assignment{std::string(key), std::move(*n)};
  if (!v.empty() && v[0] == '[') {
    GM_ASSIGN_OR_RETURN(json array, ScalarArray(v, key));
    return Assignment{std::string(key), std::move(array)};
  }
  return Assignment{std::string(key), json(Utf8Text(v))};
}

Result<Assignment> ParseMetricAssignment(std::string_view assignment) {
  GM_ASSIGN_OR_RETURN(auto parts, Split(assignment));
  auto [key, v] = parts;
  auto n = Number(v);
  if (!n || !n->is_number()) return InvalidArgument("--metric {}: '{}' is not a number", key, Shown(v));
  if (n->is_number_float() && !std::isfinite(n->get<double>()))
    return InvalidArgument("--metric {}: '{}' is not a finite number", key, v);
  return Assignment{std::string(key), std::move(*n)};
}

}  // namespace gitmodel
