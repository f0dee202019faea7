// Python configs: statements found by the tokenizer, literal right-hand sides read by
// PyLiteralParser, any other right-hand side kept as its source text. Nothing is executed:
// statements that are not `NAME = expression` are skipped.
#include <array>
#include <optional>
#include <span>
#include <vector>

#include "hyperparams/config_internal.h"
#include "hyperparams/config_readers.h"
#include "hyperparams/python_lexer.h"
#include "hyperparams/python_literal.h"

namespace gitmodel {
namespace {

using json = nlohmann::json;

bool IsOp(const PyToken& t, std::string_view op) { return t.kind == PyTokenKind::kOp && t.text == op; }

bool IsKeyword(std::string_view name) {
  static constexpr std::array<std::string_view, 35> kKeywords = {
      "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def",
      "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is",
      "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield"};
  for (std::string_view k : kKeywords)
    if (k == name) return true;
  return false;
}

bool IsTargetName(const PyToken& t) { return t.kind == PyTokenKind::kName && !IsKeyword(t.text); }

// A line that opens a block (`if x: a = 1` binds nothing at top level) or is a decorator.
bool StartsCompound(const PyToken& t) {
  static constexpr std::array<std::string_view, 12> kCompound = {"if", "elif", "else", "for", "while", "with",
                                                                 "def", "class", "try", "except", "finally", "async"};
  if (IsOp(t, "@")) return true;
  for (std::string_view k : kCompound)
    if (t.kind == PyTokenKind::kName && t.text == k) return true;
  return false;
}

// `,` `*` and brackets: what a target list like `(a, *rest)` holds besides names.
bool IsTargetListPunctuation(const PyToken& t) {
  return t.kind == PyTokenKind::kOp && t.text.size() == 1 && std::string_view(",*()[]").find(t.text[0]) != std::string_view::npos;
}

// The source bytes from the first token to the end of the last (non-empty `tokens`): tokens are
// views of one source text, so comments, continuations and line breaks between them are kept.
std::string_view SourceText(std::span<const PyToken> tokens) {
  const char* begin = tokens.front().text.data();
  const char* end = tokens.back().text.data() + tokens.back().text.size();
  return std::string_view(begin, static_cast<size_t>(end - begin));
}

bool IsAugmentedAssign(const PyToken& t) {
  static constexpr std::array<std::string_view, 13> kOps = {"+=", "-=", "*=", "/=", "//=", "%=", "**=",
                                                            ">>=", "<<=", "&=", "|=", "^=", "@="};
  for (std::string_view op : kOps)
    if (IsOp(t, op)) return true;
  return false;
}

class PythonConfigReader {
 public:
  explicit PythonConfigReader(std::string_view name) : name_(name) {}

  Status Read(std::span<const PyToken> tokens) {
    size_t start = 0;
    for (size_t i = 0; i < tokens.size(); ++i) {
      if (tokens[i].kind != PyTokenKind::kNewline) continue;
      GM_RETURN_IF_ERROR(Line(tokens.subspan(start, i - start)));
      start = i + 1;
    }
    return OkStatus();
  }

  json names = json::object();
  size_t skipped = 0;

 private:
  Status Line(std::span<const PyToken> line) {
    if (line.empty()) return OkStatus();
    if (line[0].column > 0 || StartsCompound(line[0])) return ++skipped, OkStatus();  // in or opening a block
    size_t start = 0;
    for (size_t i = 0; i <= line.size(); ++i) {
      if (i < line.size() && !(line[i].depth == 0 && IsOp(line[i], ";"))) continue;
      if (i > start) GM_RETURN_IF_ERROR(Statement(line.subspan(start, i - start)));
      start = i + 1;
    }
    return OkStatus();
  }

  Status Statement(std::span<const PyToken> s) {
    std::vector<size_t> equals;
    for (size_t i = 0; i < s.size(); ++i) {
      if (s[i].depth == 0 && s[i].kind == PyTokenKind::kName && s[i].text == "lambda") break;  // its `=` are defaults
      if (s[i].depth == 0 && IsOp(s[i], "=")) equals.push_back(i);
    }
    if (s.size() >= 2 && IsTargetName(s[0]) && IsOp(s[1], ":")) {  // `name: type = value`
      if (equals.empty()) return ++skipped, OkStatus();
      return Assign({&s[0]}, s.subspan(equals[0] + 1));
    }
    if (equals.empty()) {
      if (s.size() >= 2 && IsTargetName(s[0]) && IsAugmentedAssign(s[1])) Forget(s.first(1));
      return ++skipped, OkStatus();
    }
    std::vector<std::span<const PyToken>> segments;  // the target lists, left to right
    size_t start = 0;
    for (size_t eq : equals) {
      segments.push_back(s.subspan(start, eq - start));
      start = eq + 1;
    }
    std::vector<const PyToken*> targets;
    for (auto segment : segments)
      if (segment.size() == 1 && IsTargetName(segment[0])) targets.push_back(&segment[0]);
    if (targets.size() == segments.size()) return Assign(targets, s.subspan(equals.back() + 1));
    for (auto segment : segments) Forget(segment);  // `a, b = ...`, `cfg.lr = ...`, `d[k] = ...`
    return ++skipped, OkStatus();
  }

  Status Assign(const std::vector<const PyToken*>& targets, std::span<const PyToken> value) {
    if (value.empty()) {  // `x =`: no expression, so the name's value is unknown
      for (const PyToken* t : targets) names.erase(Utf8Text(t->text));
      return ++skipped, OkStatus();
    }
    GM_ASSIGN_OR_RETURN(json v, ValueOf(value));
    for (const PyToken* t : targets) names[Utf8Text(t->text)] = v;
    return OkStatus();
  }

  // The literal `value` spells, else its source text as one string value (`make(0.1)`,
  // `[nn.Linear(3, 4)]` whole), never evaluated. Values a literal prefix counted before the
  // parser gave up are not kept: the text is one value.
  Result<json> ValueOf(std::span<const PyToken> value) {
    const size_t before = values_;
    PyLiteralParser parser(value, name_, &values_);
    GM_ASSIGN_OR_RETURN(std::optional<json> literal, parser.Parse());
    if (literal) return std::move(*literal);
    values_ = before + 1;
    if (values_ > kMaxConfigValues)
      return LimitExceeded("{}:{}: more than {} values", name_, value.front().line, kMaxConfigValues);
    return json(Utf8Text(SourceText(value)));
  }

  // Drops the names a skipped assignment binds when `targets` is a list of plain names (`a`,
  // `a, b`, `(a, *rest)`); attribute and item targets (`cfg.lr`, `d[k]`) bind no name.
  void Forget(std::span<const PyToken> targets) {
    for (size_t i = 0; i < targets.size(); ++i) {
      const PyToken& t = targets[i];
      const bool name = IsTargetName(t);
      const bool item = name && i + 1 < targets.size() && (IsOp(targets[i + 1], "(") || IsOp(targets[i + 1], "["));
      if ((!name && !IsTargetListPunctuation(t)) || item) return;
    }
    for (const PyToken& t : targets)
      if (IsTargetName(t)) names.erase(Utf8Text(t.text));
  }

  std::string_view name_;
  size_t values_ = 0;
};

}  // namespace

Result<FlatParams> ParsePythonConfig(std::string_view text, std::string_view name, size_t* skipped_statements) {
  if (text.size() > kMaxConfigBytes)
    return LimitExceeded("{}: config is {} bytes, more than the limit of {}", name, text.size(), kMaxConfigBytes);
  GM_ASSIGN_OR_RETURN(std::vector<PyToken> tokens, TokenizePython(text, name));
  PythonConfigReader reader(name);
  GM_RETURN_IF_ERROR(reader.Read(tokens));
  if (skipped_statements) *skipped_statements = reader.skipped;
  return FlattenConfigRoot(reader.names, name);
}

}  // namespace gitmodel
