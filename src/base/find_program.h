// Looking a program up on PATH the way execvp does, without running it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace gitmodel {

// The first `<dir>/<name>` that is an executable regular file, for each directory of `path_list`
// (a PATH value: ':'-separated; an empty entry means the current directory). nullopt when none is.
std::optional<std::string> FindProgram(std::string_view name, std::string_view path_list);

}  // namespace gitmodel
