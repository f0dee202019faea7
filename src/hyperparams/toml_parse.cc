#include "hyperparams/toml_parse.h"

#include <exception>
#include <string>

#include "hyperparams/config_internal.h"
#include "hyperparams/flat_params.h"

namespace gitmodel {

Result<toml::table> ParseTomlTable(std::string_view text, std::string_view name) {
  if (text.size() > kMaxConfigBytes)
    return LimitExceeded("{}: config is {} bytes, more than the limit of {}", name, text.size(), kMaxConfigBytes);
  try {
    return toml::parse(text, std::string_view(name));
  } catch (const toml::parse_error& e) {
    std::string what(e.description());
    for (char& c : what)
      if (c == '\n' || c == '\r') c = ' ';
    return InvalidArgument("{}:{}:{}: {}", name, e.source().begin.line, e.source().begin.column, Utf8Text(what));
  } catch (const std::exception& e) {
    return InvalidArgument("{}: {}", name, e.what());
  }
}

}  // namespace gitmodel
