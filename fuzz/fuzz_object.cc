// Fuzz target: a store object file (docs/formats.md, "Store objects"), as it arrives from a remote
// or sits damaged in .git/git-model/objects. The header must parse or fail with one line; a
// current-format header must encode back to the same bytes; a payload of at most 16 MiB raw
// (a delta is applied to a base of zeros) must decode or fail with one line.
#include <algorithm>
#include <string>
#include <vector>

#include "fuzz_input.h"
#include "store/codec.h"
#include "store/codec_store.h"
#include "store/object_store.h"

namespace {

constexpr uint64_t kMaxDecodedBytes = uint64_t{16} << 20;

void CheckOneLine(const gitmodel::Status& status) {
  if (!status.ok() && status.message().find('\n') != std::string::npos) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const std::byte> file = gitmodel::fuzz::AsBytes(data, size);
  auto header = gitmodel::ParseObjectHeader(file.first(std::min(size, gitmodel::kMaxObjectHeaderBytes)));
  if (!header.ok()) {
    CheckOneLine(header.status());
    return 0;
  }
  if (header->header_bytes > size) __builtin_trap();
  const std::string encoded = gitmodel::EncodeObjectHeader(*header);
  const bool legacy = file[3] == std::byte{'1'};
  if (!legacy && (encoded.size() != header->header_bytes ||
                  encoded != std::string_view(reinterpret_cast<const char*>(data), encoded.size()))) {
    __builtin_trap();
  }
  if (header->raw_size > kMaxDecodedBytes) return 0;
  std::vector<std::byte> out(header->raw_size);  // a delta's base: zeros
  const std::span<const std::byte> payload = file.subspan(header->header_bytes);
  gitmodel::Status decoded =
      header->depth == 0 ? gitmodel::DecodeChunk(header->codec, header->element_bytes, payload, out)
                         : gitmodel::DecodeChunkDelta(header->codec, header->element_bytes, payload, header->delta_op,
                                                      header->delta_element_bytes, out);
  CheckOneLine(decoded);
  if (decoded.ok()) gitmodel::fuzz::Touch(out);
  return 0;
}
