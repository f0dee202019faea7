#include "hyperparams/python_literal.h"

#include <cctype>
#include <limits>

#include "hyperparams/config_internal.h"

namespace gitmodel {
namespace {

using json = nlohmann::json;

// The argument of float('...'): surrounding spaces, a sign, inf/infinity/nan in any case.
std::optional<double> FloatFromText(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  const bool negative = !text.empty() && text[0] == '-';
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) text.remove_prefix(1);
  const std::string lower = AsciiLowercase(text);
  double v = 0;
  if (lower == "inf" || lower == "infinity") {
    v = std::numeric_limits<double>::infinity();
  } else if (lower == "nan") {
    v = std::numeric_limits<double>::quiet_NaN();
  } else if (IsDecimalFloatText(lower)) {
    v = DecimalFloat(lower);
  } else {
    return std::nullopt;
  }
  return negative ? -v : v;
}

std::optional<std::string> KeyText(const json& key) {
  if (key.is_string()) return key.get<std::string>();
  if (key.is_boolean()) return key.get<bool>() ? "True" : "False";
  if (key.is_null()) return "None";
  if (key.is_number_float()) return PythonFloatText(key.get<double>());
  if (key.is_number()) return key.dump();
  return std::nullopt;
}

}  // namespace

Result<std::optional<json>> PyLiteralParser::Parse() {
  json v;
  bool ok = Value(v, 0);
  if (ok && IsOp(",")) {  // an unparenthesized tuple: `betas = 0.9, 0.999`
    ++pos_;
    json tuple = json::array();
    tuple.push_back(std::move(v));
    ok = Items("", tuple, 0);
    v = std::move(tuple);
  }
  if (!limit_.ok()) return limit_;
  if (!ok || pos_ != t_.size()) return std::optional<json>();
  return std::optional<json>(std::move(v));
}

bool PyLiteralParser::Charge(int depth) {
  const int line = Peek() ? Peek()->line : (t_.empty() ? 0 : t_.back().line);
  if (depth > kMaxConfigDepth) {
    limit_ = LimitExceeded("{}:{}: a literal nests deeper than {} levels", name_, line, kMaxConfigDepth);
    return false;
  }
  if (++*values_ > kMaxConfigValues) {
    limit_ = LimitExceeded("{}:{}: more than {} values", name_, line, kMaxConfigValues);
    return false;
  }
  return true;
}

bool PyLiteralParser::Value(json& out, int depth) { return Charge(depth) && Atom(out, depth); }

bool PyLiteralParser::Atom(json& out, int depth) {
  const PyToken* t = Peek();
  if (!t) return false;
  switch (t->kind) {
    case PyTokenKind::kNumber: {
      auto n = DecodePyNumber(t->text, false);
      if (!n) return false;
      ++pos_;
      out = std::move(*n);
      return true;
    }
    case PyTokenKind::kString: return Strings(out);
    case PyTokenKind::kName:
      if (IsName("dict") && IsOp("(", 1)) return DictCall(out, depth);
      if (IsName("float") && IsOp("(", 1)) return FloatCall(out, false);
      if (t->text != "True" && t->text != "False" && t->text != "None") return false;
      ++pos_;
      out = t->text == "None" ? json(nullptr) : json(t->text == "True");
      return true;
    case PyTokenKind::kOp:
      if (IsOp("-") || IsOp("+")) return Signed(out);
      if (IsOp("[")) return ++pos_, out = json::array(), Items("]", out, depth);
      if (IsOp("(")) return Paren(out, depth);
      if (IsOp("{")) return Brace(out, depth);
      return false;
    default: return false;
  }
}

// `-1e-3`, `+2`, `-float('inf')`.
bool PyLiteralParser::Signed(json& out) {
  const bool negative = IsOp("-");
  ++pos_;
  if (IsName("float") && IsOp("(", 1)) return FloatCall(out, negative);
  const PyToken* t = Peek();
  if (!t || t->kind != PyTokenKind::kNumber) return false;
  auto n = DecodePyNumber(t->text, negative);
  if (!n) return false;
  ++pos_;
  out = std::move(*n);
  return true;
}

bool PyLiteralParser::Strings(json& out) {
  std::string text;
  for (const PyToken* t = Peek(); t && t->kind == PyTokenKind::kString; t = Peek()) {
    auto s = DecodePyString(t->text);
    if (!s) return false;
    text += *s;
    ++pos_;
  }
  out = std::move(text);
  return true;
}

// Items up to and including `close` ("" = the end of the tokens), the opening bracket and any
// first item already read; appended to the array `out`.
bool PyLiteralParser::Items(std::string_view close, json& out, int depth) {
  auto at_close = [&] { return close.empty() ? pos_ == t_.size() : IsOp(close); };
  while (true) {
    if (at_close()) return pos_ += close.empty() ? 0 : 1, true;
    json item;
    if (!Value(item, depth + 1)) return false;
    out.push_back(std::move(item));
    if (IsOp(",")) {
      ++pos_;
    } else if (!at_close()) {
      return false;
    }
  }
}

// `()`, `(x)` (just x), `(x,)` and `(x, y)` (arrays).
bool PyLiteralParser::Paren(json& out, int depth) {
  ++pos_;
  json first;
  if (IsOp(")")) return ++pos_, out = json::array(), true;
  if (!Value(first, depth + 1)) return false;
  if (IsOp(")")) return ++pos_, out = std::move(first), true;
  if (!IsOp(",")) return false;
  ++pos_;
  out = json::array();
  out.push_back(std::move(first));
  return Items(")", out, depth);
}

// `{}` (an empty dict), `{k: v, ...}` and sets `{a, b}` (arrays).
bool PyLiteralParser::Brace(json& out, int depth) {
  ++pos_;
  if (IsOp("}")) return ++pos_, out = json::object(), true;
  json first;
  if (!Value(first, depth + 1)) return false;
  if (IsOp(":")) return DictEntries(std::move(first), out, depth);
  out = json::array();
  out.push_back(std::move(first));
  if (IsOp(",")) ++pos_;
  return Items("}", out, depth);
}

bool PyLiteralParser::DictEntries(json key, json& out, int depth) {
  out = json::object();
  while (true) {
    auto k = KeyText(key);
    if (!k || !IsOp(":")) return false;
    ++pos_;
    json v;
    if (!Value(v, depth + 1)) return false;
    out[*k] = std::move(v);  // a repeated key keeps the last value, as Python does
    if (IsOp(",")) {
      ++pos_;
    } else if (!IsOp("}")) {
      return false;
    }
    if (IsOp("}")) return ++pos_, true;
    if (!Value(key, depth + 1)) return false;
  }
}

// dict(name=value, ...): keyword arguments only.
bool PyLiteralParser::DictCall(json& out, int depth) {
  pos_ += 2;
  out = json::object();
  while (true) {
    if (IsOp(")")) return ++pos_, true;
    const PyToken* n = Peek();
    if (!n || n->kind != PyTokenKind::kName || !IsOp("=", 1)) return false;
    pos_ += 2;
    json v;
    if (!Value(v, depth + 1)) return false;
    out[Utf8Text(n->text)] = std::move(v);
    if (IsOp(",")) {
      ++pos_;
    } else if (!IsOp(")")) {
      return false;
    }
  }
}

// float('inf'), float("1e-3"), float(3).
bool PyLiteralParser::FloatCall(json& out, bool negative) {
  pos_ += 2;
  const PyToken* t = Peek();
  std::optional<double> v;
  if (t && t->kind == PyTokenKind::kString) {
    if (auto s = DecodePyString(t->text)) v = FloatFromText(*s);
  } else if (t && t->kind == PyTokenKind::kNumber) {
    if (auto n = DecodePyNumber(t->text, false)) v = n->get<double>();
  }
  if (!v) return false;
  ++pos_;
  if (!IsOp(")")) return false;
  ++pos_;
  out = negative ? -*v : *v;
  return true;
}

bool PyLiteralParser::IsOp(std::string_view op, size_t ahead) const {
  const PyToken* t = Peek(ahead);
  return t && t->kind == PyTokenKind::kOp && t->text == op;
}

bool PyLiteralParser::IsName(std::string_view name, size_t ahead) const {
  const PyToken* t = Peek(ahead);
  return t && t->kind == PyTokenKind::kName && t->text == name;
}

}  // namespace gitmodel
