#include "hooks/pre_push.h"

#include <sstream>

namespace gitmodel {

Result<std::vector<PushedRef>> ParsePrePushInput(std::string_view text) {
  std::vector<PushedRef> refs;
  std::istringstream in{std::string(text)};
  int number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    std::istringstream fields(line);
    PushedRef ref;
    std::string extra;
    if (!(fields >> ref.local_ref >> ref.local_id >> ref.remote_ref >> ref.remote_id) || (fields >> extra))
      return InvalidArgument("pre-push input line {}: expected '<local ref> <local id> <remote ref> <remote id>'", number);
    refs.push_back(std::move(ref));
  }
  return refs;
}

}  // namespace gitmodel
