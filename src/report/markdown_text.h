// Escaping user text for Markdown (CommonMark and GitHub's tables), so that a commit subject or a
// file name shows as written: no emphasis from "__init__", no HTML from "<script>", no extra
// table column from "|". Line breaks become spaces: every value here is one line.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace gitmodel {

// Prose (subjects, authors, descriptions): \ ` * _ [ ] < ~ backslash-escaped.
std::string MarkdownText(std::string_view text);
// Identifiers (paths, keys, values): a code span whose backtick fence is longer than any run of
// backticks inside.
std::string MarkdownCode(std::string_view text);
// "| a | b |\n" with every "|" inside a cell escaped (GitHub reads "\|" as a pipe, in code
// spans too).
std::string MarkdownRow(const std::vector<std::string>& cells);
// The header row and its "|---|" delimiter row.
std::string MarkdownTableHeader(const std::vector<std::string>& titles);

}  // namespace gitmodel
