// Validation of TensorRef views against their storage.
//
// TensorRef's own accessors (numel, nbytes, is_contiguous, view_bytes) are implemented in
// tensor_view.cc. They never fail: numel() and nbytes() return UINT64_MAX when the shape has a
// negative dimension or the product overflows, and view_bytes() returns an empty span for a view
// that does not fit its storage. Call CheckViewBounds on untrusted tensors before using them.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "gitmodel/checkpoint.h"
#include "gitmodel/status.h"

namespace gitmodel {

// Product of `shape`; nullopt when a dimension is negative or the product overflows uint64.
// A zero dimension makes the product 0 whatever the others are.
std::optional<uint64_t> CheckedNumel(std::span<const int64_t> shape);

// Ok when every element the view can address lies inside `t.storage`. Errors (kCorrupt) when the
// strides do not match the shape, a size, stride or the storage offset is negative, the index
// arithmetic overflows, or the last element reached lies beyond the storage, e.g.
// "tensor needs 128 bytes of storage data/7, which has 96". Empty tensors pass whatever their
// offset (as in torch); meta tensors (has_storage == false) always pass.
Status CheckViewBounds(const TensorRef& t);

}  // namespace gitmodel
