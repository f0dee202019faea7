#include "base/find_program.h"

#include <sys/stat.h>
#include <unistd.h>

namespace gitmodel {

std::optional<std::string> FindProgram(std::string_view name, std::string_view path_list) {
  size_t begin = 0;
  while (begin <= path_list.size()) {
    size_t end = path_list.find(':', begin);
    if (end == std::string_view::npos) end = path_list.size();
    std::string dir(path_list.substr(begin, end - begin));
    std::string candidate = (dir.empty() ? std::string(".") : dir) + "/" + std::string(name);
    struct stat st;
    if (::stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(candidate.c_str(), X_OK) == 0)
      return candidate;
    begin = end + 1;
  }
  return std::nullopt;
}

}  // namespace gitmodel
