#include "git/attributes_file.h"

#include <cerrno>
#include <set>
#include <sstream>
#include <sys/stat.h>

#include "base/atomic_file.h"
#include "git/repo.h"

namespace gitmodel {
namespace {

constexpr uint64_t kMaxAttributesBytes = 16 << 20;

std::string Canonical(std::string_view line) {
  std::istringstream words{std::string(line)};
  std::string out, word;
  while (words >> word) out += (out.empty() ? "" : " ") + word;
  return out;
}

Result<std::string> ReadIfPresent(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0 && errno == ENOENT) return std::string();
  return ReadSmallFile(path, kMaxAttributesBytes);
}

}  // namespace

Result<std::string> AttributesPath(const GitRepo& repo) {
  std::string workdir = WorkdirOf(repo);
  if (workdir.empty()) return InvalidArgument("a bare repository has no working tree for .gitattributes");
  return workdir + "/.gitattributes";
}

Result<std::vector<std::string>> AddAttributeLines(const std::string& path, const std::vector<std::string>& lines) {
  GM_ASSIGN_OR_RETURN(std::string text, ReadIfPresent(path));
  std::set<std::string> present;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) present.insert(Canonical(line));
  std::vector<std::string> added;
  std::string out = text;
  for (const std::string& line : lines) {
    if (!present.insert(Canonical(line)).second) continue;
    if (!out.empty() && out.back() != '\n') out += '\n';
    out += line + "\n";
    added.push_back(line);
  }
  if (!added.empty()) GM_RETURN_IF_ERROR(WriteFileAtomically(path, out));
  return added;
}

}  // namespace gitmodel
