// Python literals read from tokens, as ast.literal_eval would read them, plus dict(k=v) calls and
// float('inf'). Nothing is evaluated. Internal to src/hyperparams/.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "gitmodel/status.h"
#include "hyperparams/python_lexer.h"

namespace gitmodel {

// Reads the one value that a statement's right-hand side spells: numbers (with a sign), strings
// (adjacent ones concatenated), True/False/None, lists, tuples and sets (as arrays), dicts with
// str/int/float/bool/None keys (keys as Python's str() writes them), dict(name=value, ...),
// float('<number, inf or nan>'), and an unparenthesized tuple `1, 2`.
class PyLiteralParser {
 public:
  // `values` counts values over a whole file, against kMaxConfigValues; `name` names the file.
  PyLiteralParser(std::span<const PyToken> tokens, std::string_view name, size_t* values)
      : t_(tokens), name_(name), values_(values) {}

  // The value, or nullopt when the tokens are not (exactly) a literal. Errors only for nesting
  // deeper than kMaxConfigDepth or too many values (kLimit).
  Result<std::optional<nlohmann::json>> Parse();

 private:
  bool Value(nlohmann::json& out, int depth);
  bool Atom(nlohmann::json& out, int depth);
  bool Signed(nlohmann::json& out);
  bool Strings(nlohmann::json& out);
  bool Items(std::string_view close, nlohmann::json& out, int depth);
  bool Paren(nlohmann::json& out, int depth);
  bool Brace(nlohmann::json& out, int depth);
  bool DictEntries(nlohmann::json first_key, nlohmann::json& out, int depth);
  bool DictCall(nlohmann::json& out, int depth);
  bool FloatCall(nlohmann::json& out, bool negative);
  bool Charge(int depth);

  const PyToken* Peek(size_t ahead = 0) const { return pos_ + ahead < t_.size() ? &t_[pos_ + ahead] : nullptr; }
  bool IsOp(std::string_view op, size_t ahead = 0) const;
  bool IsName(std::string_view name, size_t ahead = 0) const;

  std::span<const PyToken> t_;
  std::string_view name_;
  size_t* values_;
  size_t pos_ = 0;
  Status limit_;  // set when a limit stopped parsing
};

// Decodes a string token ('...', r"...", '''...''', u'...') to UTF-8; nullopt for bytes,
// f-strings, t-strings, \N{...} escapes and malformed escapes. Ill-formed UTF-8 in the source
// becomes U+FFFD; \r\n and \r in the text become \n, as Python reads source.
std::optional<std::string> DecodePyString(std::string_view token);

// A number token ("1_000", "0x1F", "1e-3", ".5") as an int64/uint64 or double JSON value,
// negated when `negative`; nullopt for imaginary, malformed or beyond-64-bit integers.
std::optional<nlohmann::json> DecodePyNumber(std::string_view token, bool negative);

}  // namespace gitmodel
