#include "hooks/trailer.h"

#include <cctype>

#include <fmt/core.h>

namespace gitmodel {
namespace {

std::string ValueText(const std::optional<nlohmann::json>& v, const char* absent) {
  if (!v) return absent;
  std::string text = ParamValueText(*v);
  for (char& c : text)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  if (text.size() > kTrailerMaxValueChars) {
    size_t cut = kTrailerMaxValueChars - 3;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // whole UTF-8 characters
    text = text.substr(0, cut) + "...";
  }
  return text;
}

std::string ChangeText(const LabeledChange& c) {
  if (!c.change.old_value) return fmt::format("{} (added) {}", c.label, ValueText(c.change.new_value, ""));
  return fmt::format("{} {} -> {}", c.label, ValueText(c.change.old_value, ""), ValueText(c.change.new_value, "(removed)"));
}

std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    lines.push_back(text.substr(0, nl));
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
  }
  return lines;
}

bool IsBlank(std::string_view line) { return line.find_first_not_of(" \t\r") == std::string_view::npos; }

bool IsScissors(std::string_view line, char comment_char) {
  return line.size() > 2 && line[0] == comment_char && line.substr(1).starts_with(" ------------------------ >8 ------------------------");
}

// `Token: value` with a token of letters, digits and '-' (git's trailer syntax).
bool IsTrailerLine(std::string_view line) {
  size_t colon = line.find(':');
  if (colon == 0 || colon == std::string_view::npos) return false;
  for (char c : line.substr(0, colon))
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') return false;
  return true;
}

// The number of leading lines that hold the message's text (up to its last non-blank, non-comment
// line before any scissors line).
size_t BodyLineCount(const std::vector<std::string_view>& lines, char comment_char) {
  size_t end = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (IsScissors(lines[i], comment_char)) break;
    if (!IsBlank(lines[i]) && lines[i][0] != comment_char) end = i + 1;
  }
  return end;
}

// True when the last paragraph of lines[0, end) is a trailer block (not the subject paragraph).
bool EndsWithTrailerBlock(const std::vector<std::string_view>& lines, size_t end, char comment_char) {
  size_t start = end;
  while (start > 0 && !IsBlank(lines[start - 1])) --start;
  if (start == 0) return false;  // the subject paragraph
  bool any = false;
  for (size_t i = start; i < end; ++i) {
    if (lines[i][0] == comment_char) continue;
    if (lines[i][0] == ' ' || lines[i][0] == '\t') continue;  // a continuation line
    if (!IsTrailerLine(lines[i])) return false;
    any = true;
  }
  return any;
}

}  // namespace

std::string HyperparamTrailer(const std::vector<LabeledChange>& changes) {
  if (changes.empty()) return "";
  std::string out = fmt::format("{}: ", kTrailerToken);
  const size_t shown = std::min(changes.size(), kTrailerMaxChanges);
  for (size_t i = 0; i < shown; ++i) out += (i ? ", " : "") + ChangeText(changes[i]);
  if (changes.size() > shown) out += fmt::format(" (+{} more)", changes.size() - shown);
  return out;
}

bool HasHyperparamTrailer(std::string_view message, char comment_char) {
  const std::vector<std::string_view> lines = Lines(message);
  const size_t end = BodyLineCount(lines, comment_char);
  for (size_t i = 1; i < end; ++i) {
    std::string_view l = lines[i];
    if (l.starts_with(kTrailerToken) && l.substr(kTrailerToken.size()).starts_with(":")) return true;
  }
  return false;
}

std::string AddTrailer(std::string_view message, std::string_view trailer, char comment_char) {
  const std::vector<std::string_view> lines = Lines(message);
  const size_t end = BodyLineCount(lines, comment_char);
  if (end == 0 || trailer.empty()) return std::string(message);
  std::string out;
  for (size_t i = 0; i < end; ++i) out.append(lines[i]).push_back('\n');
  if (!EndsWithTrailerBlock(lines, end, comment_char)) out.push_back('\n');
  out.append(trailer).push_back('\n');
  // The rest (comments, the scissors line and the diff below it) as it was.
  size_t consumed = 0;
  for (size_t i = 0; i < end; ++i) consumed += lines[i].size() + 1;
  if (consumed < message.size()) out.append(message.substr(consumed));
  return out;
}

}  // namespace gitmodel
