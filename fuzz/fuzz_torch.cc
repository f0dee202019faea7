// Fuzz target: the whole read path of `git-model inspect`. Writes the input to a temporary file,
// opens it with Checkpoint::Open (format sniffing, then the zip / legacy / pickle / safetensors
// reader), and if it opens, uses every tensor and renders what inspect renders: view bytes,
// hashes and stats of small tensors, the summary, the JSON document and the text tree.
#include "fuzz_input.h"
#include "gitmodel/checkpoint.h"
#include "inspect/inspect.h"
#include "inspect/tree_text.h"
#include "tensors/tensor_bytes.h"
#include "tensors/tensor_stats.h"

namespace {

// Logical bytes above which a tensor is not hashed: a stride-0 view of one element may describe
// terabytes, which is a valid (if slow) thing to hash but would only time the fuzzer out.
constexpr uint64_t kMaxHashedBytes = 1u << 20;

void UseTensors(const gitmodel::Checkpoint& ck) {
  for (const gitmodel::TensorRef& t : ck.tensors()) {
    gitmodel::fuzz::Touch(t.view_bytes());
    (void)t.is_contiguous();
    if (t.nbytes() > kMaxHashedBytes) continue;
    (void)gitmodel::TensorSha256(t);
    (void)gitmodel::ComputeStats(t);
  }
}

void Render(const gitmodel::Checkpoint& ck) {
  gitmodel::InspectReport report = gitmodel::Inspect(ck, {});
  (void)gitmodel::InspectJson(ck, report).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  size_t total = 0;
  (void)gitmodel::TreeLines(ck.root(), ck.tensors(), 10000, &total);
  (void)gitmodel::NonTensorValues(ck.root(), 100, &total);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = gitmodel::fuzz::WriteTempFile(gitmodel::fuzz::AsBytes(data, size), ".pt");
  if (path.empty()) return 0;
  auto ck = gitmodel::Checkpoint::Open(path);
  if (!ck.ok()) {
    // The CLI prints this as one line: a message must never contain a newline.
    if (ck.status().message().find('\n') != std::string::npos) __builtin_trap();
    return 0;
  }
  UseTensors(**ck);
  Render(**ck);
  return 0;
}
