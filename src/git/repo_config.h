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

// Every entry whose key starts with `prefix` ("git-model.remote."), in the order the files define
// them. A plain prefix rather than a regular expression: libgit2 1.5's regex iterator leaks PCRE2
// match data on every entry (LeakSanitizer reports it).
Result<std::vector<ConfigEntry>> ReadConfigWithPrefix(const GitRepo& repo, std::string_view prefix);

}  // namespace gitmodel
