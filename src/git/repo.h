// A git repository opened in-process with libgit2.
//
// Thread-safety: one GitRepo must not be used from two threads at once (libgit2's rule for a
// git_repository); separate GitRepo objects for the same repository may be used concurrently.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "gitmodel/status.h"

struct git_repository;

namespace gitmodel {

class GitRepo {
 public:
  explicit GitRepo(git_repository* repo);  // takes ownership
  GitRepo(GitRepo&&) noexcept = default;
  GitRepo& operator=(GitRepo&&) noexcept = default;
  ~GitRepo();

  // Borrowed; valid while this GitRepo lives.
  git_repository* get() const { return repo_.get(); }

 private:
  struct Free {
    void operator()(git_repository* repo) const;
  };
  std::unique_ptr<git_repository, Free> repo_;
};

// Opens the repository containing `path` (a file or a directory; it need not exist yet: the search
// starts at its nearest existing ancestor), searching upwards as `git` does and stopping at
// file-system boundaries.
// nullopt when `path` is not inside a repository; an error only when a repository is found but
// cannot be opened (unreadable, bad ownership, corrupt config) or `path` cannot be resolved.
Result<std::optional<GitRepo>> DiscoverRepo(const std::string& path);

// `<common git dir>/git-model`, without a trailing slash. The common dir is shared by all
// worktrees of a repository (git_repository_commondir), so they share git-model's store and index.
// The directory is not created.
std::string GitModelDir(const GitRepo& repo);

// The absolute working-tree root without a trailing slash; "" for a bare repository.
std::string WorkdirOf(const GitRepo& repo);

}  // namespace gitmodel
