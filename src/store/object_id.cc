#include "store/object_id.h"

#include "store/object_store.h"

namespace gitmodel {
namespace {

int LowerHexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

bool IsObjectId(std::string_view id) { return ParseObjectHex(id).has_value(); }

std::optional<ObjectId> ParseObjectHex(std::string_view hex) {
  ObjectId id{};
  if (hex.size() != 2 * id.size()) return std::nullopt;
  for (size_t i = 0; i < id.size(); ++i) {
    const int high = LowerHexValue(hex[2 * i]);
    const int low = LowerHexValue(hex[2 * i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    id[i] = static_cast<uint8_t>(high << 4 | low);
  }
  return id;
}

}  // namespace gitmodel
