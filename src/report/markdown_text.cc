#include "report/markdown_text.h"

#include <algorithm>

namespace gitmodel {
namespace {

constexpr std::string_view kEscaped = "\\`*_[]<~";

char OneLine(char c) { return c == '\n' || c == '\r' ? ' ' : c; }

size_t LongestBacktickRun(std::string_view text) {
  size_t longest = 0, run = 0;
  for (char c : text) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  return longest;
}

}  // namespace

std::string MarkdownText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (kEscaped.find(c) != std::string_view::npos) out += '\\';
    out += OneLine(c);
  }
  return out;
}

std::string MarkdownCode(std::string_view text) {
  std::string body;
  for (char c : text) body += OneLine(c);
  if (body.empty()) return "` `";
  const std::string fence(LongestBacktickRun(body) + 1, '`');
  // A space on each side keeps a backtick at either end from joining the fence; CommonMark
  // strips one such space.
  const bool pad = body.front() == '`' || body.back() == '`' || body.front() == ' ';
  return fence + (pad ? " " + body + " " : body) + fence;
}

std::string MarkdownRow(const std::vector<std::string>& cells) {
  std::string out = "|";
  for (const std::string& cell : cells) {
    out += ' ';
    for (char c : cell) out += c == '|' ? std::string("\\|") : std::string(1, OneLine(c));
    out += " |";
  }
  return out + "\n";
}

std::string MarkdownTableHeader(const std::vector<std::string>& titles) {
  std::string out = MarkdownRow(titles) + "|";
  for (size_t i = 0; i < titles.size(); ++i) out += "---|";
  return out + "\n";
}

}  // namespace gitmodel
