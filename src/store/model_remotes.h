// git-model remotes of a repository (docs/storage.md, "Remotes"), kept in git's config:
//
//   [git-model "remote.origin"]              git config key: git-model.remote.origin.url
//       url = s3://bucket/prefix             or file:///abs/path
//       endpoint = http://127.0.0.1:9000     S3 only, optional (else AWS_ENDPOINT_URL, ~/.aws)
//       region = eu-west-1                   S3 only, optional
//       pathStyle = true                     S3 only, optional
//   [git-model]
//       defaultRemote = origin               optional
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gitmodel/status.h"
#include "store/remote.h"

namespace gitmodel {

class GitRepo;

struct ModelRemote {
  std::string name;
  std::string url;
  S3Settings s3;  // endpoint, region, path_style from the config; credentials come later
};

// In definition order.
Result<std::vector<ModelRemote>> ListModelRemotes(const GitRepo& repo);

// kNotFound naming the configured ones when there is no remote `name`.
Result<ModelRemote> FindModelRemote(const GitRepo& repo, const std::string& name);

// git-model.defaultRemote; else "origin" when it is a git-model remote; else the only one; nullopt
// when there is none (or several and no default).
Result<std::optional<ModelRemote>> DefaultModelRemote(const GitRepo& repo);

// A remote name: letters, digits, '-', '_' and '.', not starting with '.' or '-'.
bool ValidRemoteName(const std::string& name);

// Writes the remote to the repository's config (kConflict when the name is taken and `replace`
// is false). The URL is checked first (OpenRemote's rules).
Status AddModelRemote(const GitRepo& repo, const ModelRemote& remote, bool replace);
Status RemoveModelRemote(const GitRepo& repo, const std::string& name);

// Opens the remote, filling S3 credentials and unset settings from the AWS environment and files.
Result<std::unique_ptr<Remote>> ConnectModelRemote(const ModelRemote& remote);

}  // namespace gitmodel
