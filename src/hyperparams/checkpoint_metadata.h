// What training scripts already store in their checkpoints, read as provenance: hyperparameters,
// git state, versions and progress scalars. docs/formats.md ("Config files and
// hyperparameters") lists the keys looked at.
#pragma once

#include <optional>
#include <string>

#include "gitmodel/checkpoint.h"
#include "hyperparams/flat_params.h"

namespace gitmodel {

struct CheckpointGitInfo {
  std::string commit, branch, describe;
  std::optional<bool> dirty;
  bool present = false;  // any of the above was found
};

struct CheckpointMetadata {
  // From the first of the top-level keys hyperparams, hparams, hyper_parameters (Lightning),
  // args, opt, config, cfg that holds a non-empty dict-like value (a dict, an argparse
  // Namespace, an AttributeDict, an OmegaConf DictConfig) and is not an optimizer state dict
  // (keys `state` and `param_groups`). Flattened; tensors and other objects inside become short
  // texts ("<tensor float32[3]>", "<object pkg.Class>", devices as "cuda:0").
  FlatParams hyperparams;
  std::string hyperparams_source;  // the key they came from, e.g. "hyper_parameters"
  // A top-level `git` dict (commit/sha/hash, branch, dirty/is_dirty, describe) or string (the
  // commit), else top-level git_commit/git_sha/git_hash, git_branch, git_dirty, git_describe.
  CheckpointGitInfo git;
  std::string torch_version;           // top-level pytorch_version or torch_version (a string)
  std::optional<bool> cuda_available;  // top-level cuda_available
  // Every other top-level entry with a string key whose value is a bool, int, float, a string of
  // at most kMaxTrainingString bytes, or a zero-dimensional tensor under a key without dots (its
  // value: a loss saved as torch.tensor(0.25), not a state_dict's bn.num_batches_tracked); at
  // most NodeJson::kMaxMetadataValues entries. safetensors: the __metadata__ entries of at most
  // kMaxTrainingString bytes but git-model.provenance.
  FlatParams training;
  std::optional<std::string> embedded_provenance_json;  // not filled here
};

inline constexpr size_t kMaxTrainingString = 1024;

// Reads the metadata of an open checkpoint. Never fails: what is absent or malformed is left
// empty. The root must be a dict (or dict-like object); other roots (a bare tensor, a pickled
// module) yield nothing. Cycles, depth and size are bounded as in NodeJson (node_json.h).
CheckpointMetadata ReadCheckpointMetadata(const Checkpoint& checkpoint);

}  // namespace gitmodel
