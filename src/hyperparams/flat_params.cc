#include "hyperparams/flat_params.h"

#include <charconv>
#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

namespace gitmodel {
namespace {

using json = nlohmann::json;

bool IsScalarArray(const json& v) {
  for (const json& item : v)
    if (item.is_structured()) return false;
  return true;
}

std::string Join(const std::string& prefix, std::string_view part) {
  return prefix.empty() ? std::string(part) : prefix + "." + std::string(part);
}

// Walks a JSON value depth first, in key order, putting leaves under their dotted keys. Strict
// mode turns collisions, depth and size into errors; lenient mode keeps the first value and cuts.
class Flattener {
 public:
  Flattener(bool strict, std::string_view what) : strict_(strict), what_(what) {}

  Status Add(const json& v, const std::string& key, int depth) {
    if (depth > kMaxConfigDepth) {
      if (strict_)
        return LimitExceeded("{}: nests deeper than {} levels (at '{}')", what_, kMaxConfigDepth, key.substr(0, 200));
      return Put(key, json("<too deep>"));
    }
    if (v.is_object()) {
      for (const auto& [k, item] : v.items()) GM_RETURN_IF_ERROR(Add(item, Join(key, k), depth + 1));
      return OkStatus();
    }
    if (v.is_array() && !IsScalarArray(v)) {
      for (size_t i = 0; i < v.size(); ++i) GM_RETURN_IF_ERROR(Add(v[i], Join(key, std::to_string(i)), depth + 1));
      return OkStatus();
    }
    return Put(key, v);
  }

  FlatParams out;

 private:
  Status Put(const std::string& key, const json& v) {
    if (!strict_) {
      out.emplace(key, v);
      return OkStatus();
    }
    if (out.size() >= kMaxConfigValues) return LimitExceeded("{}: more than {} keys", what_, kMaxConfigValues);
    if (!out.emplace(key, v).second)
      return InvalidArgument("{}: key '{}' appears twice after flattening (a dotted key and a nested one)", what_,
                             key.substr(0, 200));
    return OkStatus();
  }

  bool strict_;
  std::string_view what_;
};

std::string ScalarText(const json& v, bool quote_strings) {
  switch (v.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return v.get<bool>() ? "true" : "false";
    case json::value_t::number_float: return PythonFloatText(v.get<double>());
    case json::value_t::string:
      if (!quote_strings) return v.get<std::string>();
      return v.dump(-1, ' ', false, json::error_handler_t::replace);
    default: return v.dump(-1, ' ', false, json::error_handler_t::replace);
  }
}

}  // namespace

FlatParams FlattenJson(const json& value) {
  Flattener f(false, "");
  (void)f.Add(value, "", 0);  // lenient mode never fails
  return std::move(f.out);
}

Result<FlatParams> FlattenJsonChecked(const json& value, std::string_view what) {
  Flattener f(true, what);
  GM_RETURN_IF_ERROR(f.Add(value, "", 0));
  return std::move(f.out);
}

std::string ParamValueText(const json& value) {
  if (!value.is_array()) return ScalarText(value, false);
  std::string out = "[";
  for (size_t i = 0; i < value.size(); ++i) {
    if (i > 0) out += ", ";
    out += value[i].is_array() ? ParamValueText(value[i]) : ScalarText(value[i], true);
  }
  return out + "]";
}

std::string PythonFloatText(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char buf[64];
  auto end = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific).ptr;
  std::string_view s(buf, static_cast<size_t>(end - buf));  // "-1.2345e-05": shortest round trip
  std::string out = s.front() == '-' ? "-" : "";
  if (s.front() == '-') s.remove_prefix(1);
  const size_t e = s.find('e');
  std::string digits(1, s[0]);
  if (e > 1) digits += s.substr(2, e - 2);
  int exp = 0;
  std::string_view exp_text = s.substr(e + 1);
  if (exp_text.front() == '+') exp_text.remove_prefix(1);
  std::from_chars(exp_text.data(), exp_text.data() + exp_text.size(), exp);
  if (exp < -4 || exp >= 16) {
    out += digits.substr(0, 1);
    if (digits.size() > 1) out += "." + digits.substr(1);
    return out + fmt::format("e{}{:02}", exp < 0 ? '-' : '+', std::abs(exp));
  }
  if (exp < 0) return out + "0." + std::string(static_cast<size_t>(-exp - 1), '0') + digits;
  const size_t int_len = static_cast<size_t>(exp) + 1;
  if (digits.size() <= int_len) return out + digits + std::string(int_len - digits.size(), '0') + ".0";
  return out + digits.substr(0, int_len) + "." + digits.substr(int_len);
}

}  // namespace gitmodel
