// Reading single values from a repository's effective git configuration (system, global, XDG,
// local and worktree files, as libgit2 merges them), from a snapshot taken at the call.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "git/repo.h"
#include "gitmodel/status.h"

namespace gitmodel {

// The value of `key` ("core.commentChar"); nullopt when it is not set.
Result<std::optional<std::string>> ReadConfigString(const GitRepo& repo, std::string_view key);

// The value of `key` as a path, with a leading "~/" expanded to the home directory as git does;
// nullopt when it is not set. Relative paths are returned as they are.
Result<std::optional<std::string>> ReadConfigPath(const GitRepo& repo, std::string_view key);

struct ConfigEntry {
  std::string key;  // as libgit2 normalises it: section and variable lower-cased, subsection kept
  std::string value;
};

// Every entry whose key matches the POSIX extended `regexp` ("^git-model\\.remote\\..*\\.url$"),
// in the order the files define them.
Result<std::vector<ConfigEntry>> ReadConfigMatching(const GitRepo& repo, const std::string& regexp);

}  // namespace gitmodel
