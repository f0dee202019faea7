// The weights fingerprint: one SHA-256 that identifies a checkpoint's weights, whatever the file
// format, layout or tensor order (specified byte by byte in docs/formats.md).
#pragma once

#include <string>
#include <vector>

#include "base/sha256.h"
#include "gitmodel/checkpoint.h"

namespace gitmodel {

// `tensor_digests[i]` is TensorSha256(tensors[i]). Fails on duplicate tensor names (the sort
// order would be ambiguous) and when a digest is missing.
Result<Digest> FingerprintFromDigests(const std::vector<TensorRef>& tensors,
                                      const std::vector<Digest>& tensor_digests);

struct WeightsDigest {
  Digest fingerprint;
  std::vector<Digest> tensors;  // TensorSha256 of checkpoint.tensors()[i]
};

// Hashes every tensor (on all cores) and combines them. Meta tensors have no bytes: an error.
Result<WeightsDigest> DigestWeights(const Checkpoint& checkpoint);
Result<Digest> WeightsFingerprint(const Checkpoint& checkpoint);

}  // namespace gitmodel
