#include "store/store_settings.h"

#include <charconv>
#include <optional>
#include <string>

#include "git/repo_config.h"
#include "store/object_store.h"

namespace gitmodel {

Result<uint8_t> ParseMaxDeltaDepth(std::string_view value) {
  unsigned depth = 0;
  const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), depth);
  if (value.empty() || error != std::errc{} || end != value.data() + value.size() || depth > kMaxDeltaDepth) {
    return InvalidArgument("git-model.maxDeltaDepth is '{}': expected a whole number from 0 (no deltas) to {}", value,
                           kMaxDeltaDepth);
  }
  return static_cast<uint8_t>(depth);
}

Result<uint8_t> ReadMaxDeltaDepth(const GitRepo& repo) {
  GM_ASSIGN_OR_RETURN(std::optional<std::string> value, ReadConfigString(repo, "git-model.maxDeltaDepth"));
  if (!value) return kDefaultMaxDeltaDepth;
  return ParseMaxDeltaDepth(*value);
}

}  // namespace gitmodel
