#include "runs/metrics_non_finite.h"

#include <algorithm>
#include <charconv>
#include <cstdint>

#include <fmt/core.h>

namespace gitmodel {
namespace {

bool StartsValue(char last_significant, const std::string& open_containers) {
  if (last_significant == ':' || last_significant == '[') return true;
  return last_significant == ',' && !open_containers.empty() && open_containers.back() == '[';
}

// The bareword starting `rest`, or "".
std::string_view BarewordAt(std::string_view rest) {
  for (std::string_view word : {"NaN", "Infinity", "-Infinity"}) {
    if (rest.starts_with(word)) return word;
  }
  return {};
}

// The number token starting `rest` (the characters a JSON number may hold).
std::string_view NumberAt(std::string_view rest) {
  const size_t end = rest.find_first_not_of("0123456789+-.eE");
  return rest.substr(0, end == std::string_view::npos ? rest.size() : end);
}

bool IsJsonNumber(std::string_view s) {
  size_t i = 0;
  auto skip_digits = [&] {
    const size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    return i > start;
  };
  auto skip = [&](std::string_view chars) { return i < s.size() && chars.find(s[i]) != std::string_view::npos && ++i; };
  skip("-");
  if (!skip("0") && !skip_digits()) return false;
  if (skip(".") && !skip_digits()) return false;
  if (skip("eE")) {
    skip("+-");
    if (!skip_digits()) return false;
  }
  return i == s.size();
}

// Whether a JSON number outside a double's range is too large (rather than too small): its
// magnitude is at least 1 when the integer part is not 0 and its digit count plus the exponent
// is positive.
bool IsTooLarge(std::string_view number) {
  if (number.starts_with('-')) number.remove_prefix(1);
  if (number.starts_with('0')) return false;
  const size_t exponent_at = number.find_first_of("eE");
  const size_t fraction_at = number.find('.');
  const auto integer_digits = static_cast<int64_t>(std::min(exponent_at, std::min(fraction_at, number.size())));
  int64_t exponent = 0;
  std::string_view digits = exponent_at == std::string_view::npos ? "" : number.substr(exponent_at + 1);
  const bool negative = digits.starts_with('-');
  if (negative || digits.starts_with('+')) digits.remove_prefix(1);
  for (char c : digits) exponent = std::min<int64_t>(exponent * 10 + (c - '0'), int64_t{1} << 40);
  return integer_digits + (negative ? -exponent : exponent) > 0;
}

// "Infinity" or "-Infinity" for a JSON number too large for a double, else "". nlohmann refuses
// such numbers; Python reads them as +-inf. Numbers too small (1e-400) nlohmann reads as 0 or a
// subnormal, as Python does.
std::string_view OverflowAsBareword(std::string_view number) {
  constexpr size_t kMostDigitsBelowDblMax = 309;
  const bool may_overflow = number.size() >= kMostDigitsBelowDblMax || number.find_first_of("eE") != std::string_view::npos;
  if (!may_overflow || !IsJsonNumber(number)) return {};
  double ignored = 0;
  const auto parsed = std::from_chars(number.data(), number.data() + number.size(), ignored);
  if (parsed.ec != std::errc::result_out_of_range || !IsTooLarge(number)) return {};
  return number.starts_with('-') ? "-Infinity" : "Infinity";
}

// The value at the start of `rest` that QuoteNonFiniteValues replaces ("" if none), and in
// `consumed` how many bytes it replaces.
std::string_view NonFiniteValueAt(std::string_view rest, size_t& consumed) {
  std::string_view word = BarewordAt(rest);
  consumed = word.size();
  if (word.empty()) {
    const std::string_view number = NumberAt(rest);
    word = OverflowAsBareword(number);
    consumed = number.size();
  }
  return word;
}

}  // namespace

std::string QuoteNonFiniteValues(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 16);
  std::string open_containers;  // '{' or '[' per level, innermost last
  bool in_string = false, escaped = false;
  char last = 0;  // the last character outside strings that is not whitespace
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      out += c;
      in_string = escaped || c != '"';
      escaped = !escaped && c == '\\';
      if (!in_string) last = '"';
      continue;
    }
    size_t consumed = 0;
    if (std::string_view word = StartsValue(last, open_containers) ? NonFiniteValueAt(text.substr(i), consumed) : "";
        !word.empty()) {
      out += fmt::format("\"{}\"", word);
      i += consumed - 1;
      last = '"';
      continue;
    }
    out += c;
    if (c == '"') in_string = true;
    if (c == '{' || c == '[') open_containers += c;
    if ((c == '}' || c == ']') && !open_containers.empty()) open_containers.pop_back();
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') last = c;
  }
  return out;
}

}  // namespace gitmodel
