#include "base/byte_reader.h"

#include <bit>

static_assert(std::endian::native == std::endian::little,
              "git-model reads little-endian formats by memcpy; big-endian hosts are not supported");
