// Setting values in one git configuration file (a repository's `config`, the user's
// `~/.gitconfig`) through libgit2, which writes through a lock file and renames it into place as
// git does.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "git/repo.h"
#include "gitmodel/status.h"

namespace gitmodel {

struct ConfigValue {
  std::string key;  // "diff.git-model.textconv"
  std::string value;
};

struct ConfigChange {
  std::string key, value;
  std::optional<std::string> previous;  // the value the file had, if any
  bool changed = false;                 // false: the file already had `value`
};

// `<common git dir>/config`: the file `git config --local` writes, shared by linked worktrees.
std::string RepositoryConfigPath(const GitRepo& repo);

// The file `git config --global` writes: ~/.gitconfig, or $XDG_CONFIG_HOME/git/config when only
// that one exists. "Home" is libgit2's global search path, which it takes from $HOME.
Result<std::string> GlobalConfigPath();

// Sets each key to its value in the file at `path` (created if missing), writing only the keys
// whose value differs, so running it twice changes nothing the second time. Keys that hold several
// values (multivars) are an error rather than being overwritten.
Result<std::vector<ConfigChange>> SetConfigValues(const std::string& path, const std::vector<ConfigValue>& values);

// Removes each of `keys` from the file at `path`; keys it does not have are skipped. Returns the
// keys removed.
Result<std::vector<std::string>> RemoveConfigKeys(const std::string& path, const std::vector<std::string>& keys);

}  // namespace gitmodel
