// `REV:PATH` arguments: a file as committed at a git revision, materialised as a temporary file so
// that everything that opens checkpoints by path (mmap included) works on it unchanged.
//
// Syntax, as git's own (gitrevisions(7)): `<rev>:<path>`, split at the first ':' outside `@{...}`
// (so `main@{2024-01-01 10:00}:ckpt.pth` works). PATH is relative to the repository root, or to
// the current directory when it starts with `./` or `../`. `:<path>` and `:<n>:<path>` (n in 0-3)
// name the file staged in the index (stage n, default 0).
//
// Memory: libgit2 inflates the whole blob into memory before it is written out (git_blob_lookup
// reads loose and packed objects whole), so materialising costs about the blob's size in RAM for
// a moment, plus the same on disk under $TMPDIR. Later storage work (pointer files, whose
// tensors live in git-model's object store) will stream the file from the store instead.
//
// The blob is written as committed: no smudge filters and no end-of-line conversion are applied.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "gitmodel/status.h"

namespace gitmodel {

struct RevisionPath {
  std::string revision;  // "HEAD~2"; "" for the index form (`:path`)
  std::string path;      // as written; "./" and "../" forms are resolved against the cwd later
  int stage = 0;         // index stage of the `:<n>:<path>` form
};

// `arg` split as git splits `<rev>:<path>`; nullopt when it has no ':' outside `@{...}`. Pure: no
// file-system or repository access.
std::optional<RevisionPath> ParseRevisionPath(std::string_view arg);

// `arg` as a REV:PATH when it contains ':' and nothing (file, link, directory) of that exact name
// exists; nullopt when it is an ordinary path. An existing file named `a:b` always wins.
std::optional<RevisionPath> RevisionPathArgument(const std::string& arg);

class RevisionFile;
Result<RevisionFile> MaterializeRevisionFile(const RevisionPath& spec, const std::string& cwd);

// A blob written to `<$TMPDIR or /tmp>/gitmodel-rev-XXXXXX/<base name of PATH>`: the base name is
// kept so that format detection by name (`*.index.json`) still works. The file and its private
// (0700) directory are removed when this object is destroyed. Move-only.
class RevisionFile {
 public:
  RevisionFile(RevisionFile&& other) noexcept;
  RevisionFile& operator=(RevisionFile&& other) noexcept;
  RevisionFile(const RevisionFile&) = delete;
  RevisionFile& operator=(const RevisionFile&) = delete;
  ~RevisionFile();

  const std::string& path() const { return path_; }          // the temporary file
  const std::string& repo_path() const { return repo_path_; }  // PATH relative to the repository root
  const std::string& blob_id() const { return blob_id_; }    // 40 hex digits
  uint64_t size() const { return size_; }

 private:
  friend Result<RevisionFile> MaterializeRevisionFile(const RevisionPath& spec, const std::string& cwd);
  RevisionFile() = default;
  void Remove();

  std::string dir_, path_, repo_path_, blob_id_;
  uint64_t size_ = 0;
};

// Finds the repository containing `cwd` (the directory `./` paths are relative to), looks up
// `spec` in it and writes the blob out. Errors (all with the argument in the message, so the CLI
// can print them as they are):
//   kInvalidArgument  not in a git repository; an unknown revision, or one that names no commit or
//                     tree; `./` forms in a bare repository; a path leaving the repository; a
//                     path that names a directory, a submodule or a symbolic link
//   kNotFound         the path does not exist at that revision (or in the index)
//   kIO               the repository, the object database or $TMPDIR cannot be read or written
Result<RevisionFile> MaterializeRevisionFile(const RevisionPath& spec, const std::string& cwd);

// A checkpoint argument ready to open: an ordinary path as it is, or a REV:PATH's temporary file.
// `path` stays valid while this object lives (the temporary file is removed with it).
struct FileArgument {
  std::string path;
  std::optional<RevisionFile> revision;  // set for REV:PATH
};
Result<FileArgument> ResolveFileArgument(const std::string& arg, const std::string& cwd = ".");

}  // namespace gitmodel
