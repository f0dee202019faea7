#include "hyperparams/python_lexer.h"

#include <array>
#include <string>

#include "hyperparams/config_internal.h"

namespace gitmodel {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || IsDigit(c) || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}

bool IsStringPrefix(std::string_view name) {
  static constexpr std::array<std::string_view, 11> kPrefixes = {"r",  "u",  "b", "br", "rb", "f",
                                                                  "fr", "rf", "t", "tr", "rt"};
  if (name.size() > 2) return false;
  const std::string lower = AsciiLowercase(name);
  for (std::string_view p : kPrefixes)
    if (lower == p) return true;
  return false;
}

class Lexer {
 public:
  Lexer(std::string_view s, std::string_view name) : s_(s), name_(name) {}

  Status Run() {
    if (s_.substr(0, 3) == "\xEF\xBB\xBF") i_ = line_start_ = 3;  // UTF-8 byte order mark
    while (i_ < s_.size()) GM_RETURN_IF_ERROR(Step());
    if (!open_.empty())
      return InvalidArgument("{}:{}:{}: '{}' is never closed", name_, open_.back().line, open_.back().column,
                             open_.back().bracket);
    EndLogicalLine();
    return OkStatus();
  }

  std::vector<PyToken> tokens;

 private:
  struct Open {
    char bracket;
    int line;
    size_t column;
  };

  size_t Column() const { return i_ - line_start_ + 1; }  // 1-based, of the byte at i_

  Status Step() {
    const char c = s_[i_];
    if (c == '\n') return NewLine(i_ + 1);
    if (c == '\r' && s_.substr(i_ + 1, 1) != "\n") return NewLine(i_ + 1);  // old Mac line ends
    if (c == ' ' || c == '\t' || c == '\r' || c == '\f') return ++i_, OkStatus();
    if (c == '#') {
      while (i_ < s_.size() && s_[i_] != '\n') ++i_;
      return OkStatus();
    }
    if (c == '\\' && s_.substr(i_ + 1, 1) == "\n") return Continuation(i_ + 2);
    if (c == '\\' && s_.substr(i_ + 1, 2) == "\r\n") return Continuation(i_ + 3);
    if (IsDigit(c) || (c == '.' && i_ + 1 < s_.size() && IsDigit(s_[i_ + 1]))) return Number();
    if (IsNameChar(c)) return NameOrString();
    if (c == '"' || c == '\'') return String(i_);
    return Op();
  }

  Status NewLine(size_t next) {
    if (open_.empty()) EndLogicalLine();
    ++line_;
    i_ = line_start_ = next;
    return OkStatus();
  }
  Status Continuation(size_t next) {
    ++line_;
    i_ = line_start_ = next;
    return OkStatus();
  }
  void EndLogicalLine() {
    if (!tokens.empty() && tokens.back().kind != PyTokenKind::kNewline) Push(PyTokenKind::kNewline, i_, i_);
  }

  void Push(PyTokenKind kind, size_t start, size_t end, int line = 0, size_t line_start = 0) {
    if (line == 0) line = line_, line_start = line_start_;
    tokens.push_back(PyToken{kind, s_.substr(start, end - start), line, static_cast<int>(start - line_start),
                             static_cast<int>(open_.size())});
  }

  Status Number() {
    const size_t start = i_;
    const bool hex = s_.substr(i_, 2) == "0x" || s_.substr(i_, 2) == "0X";
    while (i_ < s_.size()) {
      const char c = s_[i_];
      const bool sign = (c == '+' || c == '-') && !hex && (s_[i_ - 1] == 'e' || s_[i_ - 1] == 'E');
      if (!IsNameChar(c) && c != '.' && !sign) break;
      ++i_;
    }
    Push(PyTokenKind::kNumber, start, i_);
    return OkStatus();
  }

  Status NameOrString() {
    const size_t start = i_;
    while (i_ < s_.size() && IsNameChar(s_[i_])) ++i_;
    if (i_ < s_.size() && (s_[i_] == '"' || s_[i_] == '\'') && IsStringPrefix(s_.substr(start, i_ - start)))
      return String(start);
    Push(PyTokenKind::kName, start, i_);
    return OkStatus();
  }

  // From the prefix at `start`; i_ is at the opening quote.
  Status String(size_t start) {
    const int line = line_;
    const size_t line_start = line_start_;
    const size_t column = Column();  // of the opening quote
    const char q = s_[i_];
    const bool triple = s_.substr(i_, 3) == std::string(3, q);
    i_ += triple ? 3 : 1;
    while (true) {
      if (i_ >= s_.size())
        return InvalidArgument("{}:{}:{}: unterminated {}string", name_, line, column, triple ? "triple-quoted " : "");
      const char c = s_[i_];
      if (c == '\\') {
        const size_t skip = s_.substr(i_ + 1, 2) == "\r\n" ? 3 : 2;
        if (s_.substr(i_ + skip - 1, 1) == "\n") ++line_, line_start_ = i_ + skip;
        i_ += skip;
      } else if (c == '\n') {
        if (!triple) return InvalidArgument("{}:{}:{}: unterminated string", name_, line, column);
        ++line_, line_start_ = ++i_;
      } else if (c == q && (!triple || s_.substr(i_, 3) == std::string(3, q))) {
        i_ += triple ? 3 : 1;
        break;
      } else {
        ++i_;
      }
    }
    Push(PyTokenKind::kString, start, std::min(i_, s_.size()), line, line_start);
    return OkStatus();
  }

  Status Op() {
    static constexpr std::array<std::string_view, 24> kLong = {
        "**=", "//=", ">>=", "<<=", "...", "->", ":=", "==", "!=", "<=", ">=", "**",
        "//",  "<<",  ">>",  "+=",  "-=",  "*=", "/=", "%=", "&=", "|=", "^=", "@="};
    for (std::string_view op : kLong)
      if (s_.substr(i_, op.size()) == op) {
        Push(PyTokenKind::kOp, i_, i_ + op.size());
        i_ += op.size();
        return OkStatus();
      }
    const char c = s_[i_];
    if (c == ')' || c == ']' || c == '}') GM_RETURN_IF_ERROR(Close(c));
    Push(PyTokenKind::kOp, i_, i_ + 1);
    if (c == '(' || c == '[' || c == '{') open_.push_back({c, line_, Column()});
    ++i_;
    return OkStatus();
  }

  Status Close(char c) {
    const char want = c == ')' ? '(' : c == ']' ? '[' : '{';
    if (open_.empty()) return InvalidArgument("{}:{}:{}: unmatched '{}'", name_, line_, Column(), c);
    if (open_.back().bracket != want)
      return InvalidArgument("{}:{}:{}: '{}' does not close '{}' opened at line {}", name_, line_, Column(), c,
                             open_.back().bracket,
                             open_.back().line);
    open_.pop_back();
    return OkStatus();
  }

  std::string_view s_;
  std::string_view name_;
  size_t i_ = 0;
  int line_ = 1;
  size_t line_start_ = 0;
  std::vector<Open> open_;
};

}  // namespace

Result<std::vector<PyToken>> TokenizePython(std::string_view source, std::string_view name) {
  Lexer lexer(source, name);
  GM_RETURN_IF_ERROR(lexer.Run());
  return std::move(lexer.tokens);
}

}  // namespace gitmodel
