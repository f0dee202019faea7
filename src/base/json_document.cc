#include "base/json_document.h"

namespace gitmodel {

Result<nlohmann::json> ParseJsonDocument(std::string_view text, std::string_view what, int max_depth) {
  bool too_deep = false;
  // Returning false from the callback discards the value, so nothing deeper than the limit is built.
  auto limit_depth = [&](int depth, nlohmann::json::parse_event_t, nlohmann::json&) {
    if (depth > max_depth) too_deep = true;
    return !too_deep;
  };
  nlohmann::json document = nlohmann::json::parse(text, limit_depth, /*allow_exceptions=*/false);
  if (too_deep) return LimitExceeded("{} is nested more than {} levels deep", what, max_depth);
  if (document.is_discarded()) return Corrupt("{} is not valid JSON", what);
  return document;
}

}  // namespace gitmodel
