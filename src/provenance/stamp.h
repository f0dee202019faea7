// Stamping: capture a checkpoint's provenance and embed it in the file.
//
// PrepareStamp captures what every file stamped by one command shares (git state, configs and
// parameters, environment, data digests); StampFile adds what is per file (format, tensors,
// weights fingerprint, hyperparameters the checkpoint already holds), writes the record into the
// file atomically and indexes it. Nothing here prints; progress goes through the callback.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "gitmodel/status.h"
#include "provenance/embed.h"
#include "provenance/record.h"
#include "signing/ed25519.h"

namespace gitmodel {

struct StampOptions {
  // The checkpoints this command stamps: left out of the captured git state (with their
  // sidecars), since they are outputs, not code.
  std::vector<std::string> artifacts;
  std::vector<std::string> config_files;
  std::vector<std::string> params;      // "key=value", typed like the config files
  std::vector<std::string> metrics;     // "key=value", numeric
  std::vector<std::string> data_paths;
  std::string commit_id;                // recorded instead of HEAD (CI)
  std::string workdir = ".";            // the repository whose state is captured
  bool probe_python = true;             // ask python3 for its and torch's versions
  uint64_t inline_patch_limit = 1u << 20;  // larger patches go to the object store
  std::string created;                  // RFC 3339 UTC; empty = now
  std::function<void(std::string_view stage)> progress;
};

struct StampContext {
  ProvenanceRecord base;      // everything but the artifact and per-file hyperparameters
  std::string git_model_dir;  // `<git dir>/git-model`, "" outside a repository
  std::string repo_root;      // "" outside a repository
  // When set, every record is signed with this key (provenance/record_signature.h) before it is
  // written, claiming `signer` as the signer's name.
  std::shared_ptr<const SigningKey> signing_key;
  std::string signer;
};

Result<StampContext> PrepareStamp(const StampOptions& options);

struct StampResult {
  std::string path;
  ProvenanceRecord record;
  EmbeddedRecord written;
  std::string file_sha256;  // of the file as it is after stamping
  std::string index_path;
};

// Fails (leaving the file untouched) when it is not a readable checkpoint or cannot be replaced.
Result<StampResult> StampFile(const StampContext& context, const std::string& path);

// `path` relative to `repo_root` when it lies inside it (generic '/' form), else `path` as given.
std::string RepoRelativePath(const std::string& path, const std::string& repo_root);

// "2026-11-29T09:20:37Z"
std::string NowRfc3339();

}  // namespace gitmodel
