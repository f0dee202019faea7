// What a commit made now would change: the index compared with HEAD's tree (all of the index
// when HEAD is unborn), as `git diff --cached --no-renames` sees it, plus reading the blobs on
// either side. Submodules (gitlinks) are left out: they have no blob.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "git/repo.h"
#include "gitmodel/status.h"

namespace gitmodel {

struct StagedChange {
  enum class Kind { kAdded, kModified, kDeleted };
  Kind kind = Kind::kAdded;
  std::string path;    // repository-relative, '/'-separated
  std::string old_id;  // HEAD's blob (hex); "" when added
  std::string new_id;  // the index's blob (hex); "" when deleted
  uint64_t new_size = 0;  // bytes of the index's blob, from the object database (not the 32-bit
                          // size the index keeps); 0 when deleted
};

// Changes in path order. Needs a repository with a working tree (an index).
Result<std::vector<StagedChange>> ReadStagedChanges(const GitRepo& repo);

// The bytes of blob `hex_id`; kLimit when it is larger than `max_bytes`.
Result<std::string> ReadBlobBytes(const GitRepo& repo, std::string_view hex_id, uint64_t max_bytes);

// The value of attribute `name` ("filter") for `path` as git sees it (.gitattributes in the
// working tree, then the index, then info/attributes); "" when unset, "true"/"false" for set and
// unset-by-'-' attributes.
Result<std::string> PathAttribute(const GitRepo& repo, std::string_view path, std::string_view name);

}  // namespace gitmodel
