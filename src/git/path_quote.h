// Internal to src/git: paths in patch headers, quoted exactly as git and libgit2 quote them.
#pragma once

#include <string>
#include <string_view>

namespace gitmodel {

// `path` unchanged when every byte is printable ASCII other than '"' and '\\'; otherwise in double
// quotes with \a \b \t \n \v \f \r \" \\ escapes and other bytes (control, non-ASCII) as \ooo
// octal, as git's quote_c_style (core.quotePath=true) and libgit2's git_str_quote do.
std::string QuoteGitPath(std::string_view path);

}  // namespace gitmodel
