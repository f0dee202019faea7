// StampFile: the per-file half of stamping (see stamp.h).
#include "provenance/stamp.h"

#include <filesystem>

#include "base/file_sha256.h"
#include "gitmodel/checkpoint.h"
#include "hyperparams/checkpoint_metadata.h"
#include "provenance/fingerprint.h"
#include "provenance/record_index.h"
#include "provenance/record_signature.h"

namespace gitmodel {
namespace {

void FillArtifact(const Checkpoint& checkpoint, const WeightsDigest& weights, const StampContext& context,
                  const std::string& path, ArtifactInfo* a) {
  a->path = RepoRelativePath(path, context.repo_root);
  a->format = std::string(FormatName(checkpoint.format()));
  std::error_code ec;
  a->bytes = std::filesystem::file_size(path, ec);
  a->tensors = checkpoint.tensors().size();
  a->parameters = 0;
  for (size_t i = 0; i < checkpoint.tensors().size(); ++i) {
    const TensorRef& t = checkpoint.tensors()[i];
    a->parameters += t.numel();
    a->tensor_digests[t.name] = ToHex(weights.tensors[i]).substr(0, kTensorDigestHexDigits);
  }
  a->fingerprint = ToHex(weights.fingerprint);
}

// Hyperparameters the training script saved in the checkpoint rank below --config and --param.
void MergeCheckpointMetadata(const CheckpointMetadata& meta, ProvenanceRecord* r) {
  for (const auto& [key, value] : meta.hyperparams) {
    if (r->hyperparams.count(key)) continue;
    r->hyperparams[key] = value;
    r->hyperparam_sources[key] = "checkpoint:" + meta.hyperparams_source;
  }
  if (!meta.torch_version.empty()) {
    r->env.torch = meta.torch_version;
    r->env.torch_source = "checkpoint";
  }
}

Status IndexRecord(const StampContext& context, const StampResult& result) {
  GM_ASSIGN_OR_RETURN(RecordIndex index, RecordIndex::Open(RecordIndexPath(context.git_model_dir)));
  std::error_code ec;
  std::string absolute = std::filesystem::absolute(result.path, ec).lexically_normal().string();
  return index.Add({result.record.artifact.fingerprint, result.file_sha256, absolute, result.record.created,
                    SerializeRecord(result.record)});
}

}  // namespace

Result<StampResult> StampFile(const StampContext& context, const std::string& path) {
  StampResult result;
  result.path = path;
  result.record = context.base;
  {
    GM_ASSIGN_OR_RETURN(auto checkpoint, Checkpoint::Open(path));
    GM_ASSIGN_OR_RETURN(WeightsDigest weights, DigestWeights(*checkpoint));
    FillArtifact(*checkpoint, weights, context, path, &result.record.artifact);
    MergeCheckpointMetadata(ReadCheckpointMetadata(*checkpoint), &result.record);
  }  // the mapping is released before the file is replaced
  if (context.signing_key) GM_RETURN_IF_ERROR(SignRecord(*context.signing_key, context.signer, &result.record));
  GM_ASSIGN_OR_RETURN(result.written, WriteEmbeddedRecord(path, SerializeRecord(result.record)));
  GM_ASSIGN_OR_RETURN(Digest file_digest, FileSha256(path));
  result.file_sha256 = ToHex(file_digest);
  result.index_path = RecordIndexPath(context.git_model_dir);
  Status indexed = IndexRecord(context, result);
  if (!indexed.ok()) return indexed.WithContext("the record was written into the file but not indexed");
  return result;
}

}  // namespace gitmodel
