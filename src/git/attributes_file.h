// Adding lines to a .gitattributes file without duplicating the ones it already has.
#pragma once

#include <string>
#include <vector>

#include "gitmodel/status.h"

namespace gitmodel {

class GitRepo;

// `<working tree>/.gitattributes`; an error for a bare repository, which has no working tree.
Result<std::string> AttributesPath(const GitRepo& repo);

// Appends each of `lines` that the file at `path` lacks (created if missing; compared with runs
// of blanks collapsed and surrounding blanks ignored), in order, after a newline if the file does
// not end with one. Rewritten atomically, keeping its mode. Returns the lines added: none when
// the file already has them all, and then the file is not touched.
Result<std::vector<std::string>> AddAttributeLines(const std::string& path, const std::vector<std::string>& lines);

}  // namespace gitmodel
