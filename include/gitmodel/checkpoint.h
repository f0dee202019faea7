// Checkpoint: a model file opened for reading, without running any code it contains.
//
// Open() maps the file(s), parses the structure (zip directory, pickle, safetensors header) and
// returns the object tree and the tensor references. It never reads tensor bytes: spans point
// into the mapping and are valid while the Checkpoint lives. Not thread-safe to open; a Checkpoint
// that is open may be read from many threads at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "gitmodel/dtype.h"
#include "gitmodel/object_tree.h"
#include "gitmodel/status.h"

namespace gitmodel {

enum class Format : uint8_t {
  kTorchZip,           // torch.save, 1.6+
  kTorchLegacy,        // torch.save with _use_new_zipfile_serialization=False, or torch < 1.6
  kTorchScript,        // torch.jit.save
  kTorchScriptLegacy,  // model.json archives (torch 1.0 - 1.3)
  kPt2,                // torch.export archives nesting torch.save zips
  kSafetensors,
  kShardedIndex,       // Hugging Face *.index.json over several shards
  kPickle,             // a plain pickle (no tensors data)
};
std::string_view FormatName(Format format);  // "torch-zip", "safetensors", ...

struct QuantParams {
  std::string scheme;           // "per_tensor_affine", "per_channel_affine", ...
  double scale = 0;             // per-tensor
  int64_t zero_point = 0;       // per-tensor
  int64_t axis = -1;            // per-channel
  int64_t scales_tensor = -1;   // per-channel: index of the scales tensor, -1 if none
  int64_t zero_points_tensor = -1;
};

// One tensor: a strided view of a storage. Offsets, shape and strides count elements.
struct TensorRef {
  std::string name;                       // key path joined with '.'
  DType dtype = DType::kFloat32;
  std::vector<int64_t> shape;
  std::vector<int64_t> strides;
  int64_t storage_offset = 0;
  std::string storage_key;                // "data/0", safetensors tensor name, legacy key...
  std::span<const std::byte> storage;     // the whole storage's bytes (shared by views)
  uint64_t storage_file_offset = 0;       // where `storage` starts in its file, if mapped
  int file_index = 0;                     // which file of Checkpoint::files() holds it
  bool big_endian = false;                // storage bytes are big-endian (byteorder record)
  bool deflated = false;                  // bytes were inflated into memory, not mapped
  std::string device = "cpu";             // location recorded at save time
  bool is_parameter = false;              // torch.nn.Parameter
  bool requires_grad = false;
  bool has_storage = true;                // false for meta tensors (no bytes at all)
  bool conj = false, neg = false;         // lazy conjugate / negative bits
  std::string layout = "strided";         // other layouts are objects, not TensorRefs
  std::optional<QuantParams> quant;

  uint64_t numel() const;                 // product of shape; 1 for scalars
  uint64_t nbytes() const;                // logical bytes: ByteSize(dtype, numel)
  bool is_contiguous() const;             // C-contiguous (row-major) strides
  // The bytes the view can touch, [first, last] element, as a span of `storage`.
  std::span<const std::byte> view_bytes() const;
};

// A fact about the format ("prefix" = "archive", "byteorder" = "little", ...), in file order.
struct FormatDetail {
  std::string key;
  std::string value;
};

class Checkpoint {
 public:
  struct Impl;
  static Result<std::unique_ptr<Checkpoint>> Open(const std::string& path);
  ~Checkpoint();

  const std::string& path() const;
  Format format() const;
  const std::vector<FormatDetail>& details() const;
  const std::vector<std::string>& notes() const;      // things a user should know (non-fatal)
  const std::vector<TensorRef>& tensors() const;
  const Node* root() const;                           // never null; kNone for an empty pickle
  const std::vector<std::string>& files() const;      // the files mapped (shards), path() first

  // A hint that `bytes` (a span of tensors()' storage) will not be read again soon: their pages
  // leave the process's resident set but stay in the page cache. Inflated (in-memory) bytes are
  // ignored. Lets a streaming pass over a huge checkpoint keep its memory small.
  void ReleasePages(std::span<const std::byte> bytes) const;

  explicit Checkpoint(std::unique_ptr<Impl> impl);

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace gitmodel
