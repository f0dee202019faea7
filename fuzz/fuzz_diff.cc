// Fuzz target: `git model diff` on two checkpoints cut from one input: a 4-byte little-endian
// length, then A (that many bytes, or all that is left), then B. Both parts are opened as
// checkpoints, and when both open the whole diff runs (tensor pairs over every dtype and view,
// module roll-ups, the content tree) and is rendered as JSON.
#include <algorithm>

#include "diff/diff_json.h"
#include "fuzz_input.h"
#include "gitmodel/checkpoint.h"
#include "gitmodel/diff.h"

namespace {

// Logical bytes above which a checkpoint is not diffed: a stride-0 view of one element may
// describe a gigabyte, which is valid (if slow) to compare but would only time the fuzzer out.
constexpr uint64_t kMaxComparedBytes = 1u << 20;

std::unique_ptr<gitmodel::Checkpoint> Open(std::span<const std::byte> bytes, const char* suffix) {
  const std::string path = gitmodel::fuzz::WriteTempFile(bytes, suffix);
  if (path.empty()) return nullptr;
  auto ck = gitmodel::Checkpoint::Open(path);
  if (!ck.ok()) return nullptr;
  uint64_t total = 0;
  for (const gitmodel::TensorRef& t : (*ck)->tensors()) total += std::min<uint64_t>(t.nbytes(), kMaxComparedBytes + 1);
  return total > kMaxComparedBytes ? nullptr : std::move(*ck);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 4) return 0;
  const auto rest = gitmodel::fuzz::AsBytes(data + 4, size - 4);
  const size_t length = data[0] | data[1] << 8 | data[2] << 16 | static_cast<size_t>(data[3]) << 24;
  const size_t cut = std::min(length, rest.size());
  auto a = Open(rest.first(cut), ".a.pt");
  if (!a) return 0;
  auto b = Open(rest.subspan(cut), ".b.pt");
  if (!b) return 0;
  auto diff = gitmodel::DiffCheckpoints(*a, *b);
  if (!diff.ok()) return 0;
  for (const gitmodel::TensorDiff& t : diff->tensors) {
    (void)gitmodel::TensorDiffToJson(t).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  // Module names come from tensor names (any bytes): dumped as the CLI dumps them (JsonLine).
  for (const gitmodel::ModuleDiff& m : diff->modules) {
    (void)gitmodel::ModuleDiffToJson(m).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  for (const gitmodel::ContentChange& c : diff->content) {
    (void)gitmodel::ContentChangeToJson(c).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  return 0;
}
