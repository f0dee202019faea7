#include "provenance/fingerprint.h"

#include <algorithm>
#include <numeric>

#include "base/parallel.h"
#include "tensors/tensor_bytes.h"

namespace gitmodel {
namespace {

void PutU32(Sha256& h, uint32_t v) {
  h.Update(std::as_bytes(std::span(&v, 1)));  // little-endian host (byte_reader.cc asserts it)
}

void PutText(Sha256& h, std::string_view text) {
  PutU32(h, static_cast<uint32_t>(text.size()));
  h.Update(text);
}

}  // namespace

Result<Digest> FingerprintFromDigests(const std::vector<TensorRef>& tensors,
                                      const std::vector<Digest>& tensor_digests) {
  if (tensor_digests.size() != tensors.size()) return InvalidArgument("fingerprint: one digest per tensor needed");
  std::vector<size_t> order(tensors.size());
  std::iota(order.begin(), order.end(), 0);
  // Byte-wise order of the UTF-8 names, which std::string's operator< is.
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return tensors[a].name < tensors[b].name; });
  Sha256 h;
  h.Update(std::string_view("git-model/weights-fingerprint/v1\n"));
  PutU32(h, static_cast<uint32_t>(tensors.size()));
  for (size_t k = 0; k < order.size(); ++k) {
    const TensorRef& t = tensors[order[k]];
    if (k > 0 && tensors[order[k - 1]].name == t.name)
      return InvalidArgument("fingerprint: two tensors are named '{}'", t.name);
    PutText(h, t.name);
    PutText(h, Name(t.dtype));
    PutU32(h, static_cast<uint32_t>(t.shape.size()));
    for (int64_t dim : t.shape) h.Update(std::as_bytes(std::span(&dim, 1)));
    h.Update(std::as_bytes(std::span(tensor_digests[order[k]])));
  }
  return h.Finish();
}

Result<WeightsDigest> DigestWeights(const Checkpoint& checkpoint) {
  const auto& tensors = checkpoint.tensors();
  WeightsDigest out;
  out.tensors.resize(tensors.size());
  std::vector<Status> errors(tensors.size());
  ParallelFor(tensors.size(), [&](size_t i) {
    auto d = TensorSha256(tensors[i]);
    if (d.ok()) out.tensors[i] = *d;
    else errors[i] = d.status().WithContext(fmt::format("tensor '{}'", tensors[i].name));
  });
  for (const Status& s : errors)
    if (!s.ok()) return s;
  GM_ASSIGN_OR_RETURN(out.fingerprint, FingerprintFromDigests(tensors, out.tensors));
  return out;
}

Result<Digest> WeightsFingerprint(const Checkpoint& checkpoint) {
  GM_ASSIGN_OR_RETURN(WeightsDigest digest, DigestWeights(checkpoint));
  return digest.fingerprint;
}

}  // namespace gitmodel
