// JSON configs: nlohmann's parser with a callback that bounds depth and value count while parsing.
#include <exception>

#include "hyperparams/config_internal.h"
#include "hyperparams/config_readers.h"

namespace gitmodel {
namespace {

using json = nlohmann::json;

// Thrown from the parse callback to stop parsing; caught in ParseJsonConfig.
struct LimitHit {
  Status status;
};

// nlohmann's message without its "[json.exception.parse_error.101] parse error at line 1,
// column 2: " prefix (line and column are reported our way).
std::string_view ParseErrorText(std::string_view what) {
  const size_t column = what.find("column ");
  const size_t colon = column == std::string_view::npos ? what.find("]") : what.find(": ", column);
  if (colon == std::string_view::npos) return what;
  return what.substr(colon + (what[colon] == ']' ? 1 : 2));
}

}  // namespace

Result<FlatParams> ParseJsonConfig(std::string_view text, std::string_view name) {
  if (text.size() > kMaxConfigBytes)
    return LimitExceeded("{}: config is {} bytes, more than the limit of {}", name, text.size(), kMaxConfigBytes);
  size_t values = 0;
  auto bound = [&](int depth, json::parse_event_t event, json&) {
    if (depth > kMaxConfigDepth)
      throw LimitHit{LimitExceeded("{}: nests deeper than {} levels", name, kMaxConfigDepth)};
    const bool counts = event == json::parse_event_t::value || event == json::parse_event_t::object_start ||
                        event == json::parse_event_t::array_start;
    if (counts && ++values > kMaxConfigValues)
      throw LimitHit{LimitExceeded("{}: more than {} values", name, kMaxConfigValues)};
    return true;
  };
  json root;
  try {
    root = json::parse(text.begin(), text.end(), bound);
  } catch (const LimitHit& hit) {
    return hit.status;
  } catch (const json::parse_error& e) {
    const size_t at = e.byte > 0 ? e.byte - 1 : 0;  // nlohmann counts from 1
    return InvalidArgument("{}:{}:{}: {}", name, LineAt(text, at), ColumnAt(text, at), ParseErrorText(e.what()));
  } catch (const std::exception& e) {
    return InvalidArgument("{}: {}", name, e.what());
  }
  return FlattenConfigRoot(root, name);
}

}  // namespace gitmodel
