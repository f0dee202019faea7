// git model track [PATTERN...] [--json]: stores files matching PATTERN through git-model's filter
// (tensor-level dedup, docs/storage.md) by adding `PATTERN filter=git-model diff=git-model -text`
// to the repository's .gitattributes. Without patterns, lists the patterns tracked.
#include <fstream>
#include <sstream>

#include <fmt/core.h>

#include "cli/command.h"
#include "cli/render.h"
#include "git/attributes_file.h"
#include "git/driver_setup.h"
#include "git/repo.h"
#include "git/repo_config.h"

namespace gitmodel::cli {
namespace {

struct TrackArgs {
  std::vector<std::string> patterns;
  bool json = false;
};

// The patterns of .gitattributes lines that set filter=git-model, in file order.
std::vector<std::string> TrackedPatterns(const std::string& attributes_path) {
  std::ifstream in(attributes_path);
  std::vector<std::string> out;
  const std::string filter = fmt::format("filter={}", kFilterDriver);
  for (std::string line; std::getline(in, line);) {
    std::istringstream words(line);
    std::string pattern, word;
    if (!(words >> pattern) || pattern.starts_with('#')) continue;
    while (words >> word)
      if (word == filter) out.push_back(pattern);
  }
  return out;
}

bool FilterInstalled(const GitRepo& repo) {
  auto process = ReadConfigString(repo, fmt::format("filter.{}.process", kFilterDriver));
  return process.ok() && process->has_value();
}

int RunTrack(const TrackArgs& args) {
  auto repo = DiscoverRepo(".");
  if (!repo.ok() || !*repo) {
    PrintError(repo.ok() ? "not in a git repository" : repo.status().message());
    return kExitError;
  }
  auto path = AttributesPath(**repo);
  if (!path.ok()) {
    PrintError(path.status().message());
    return kExitError;
  }
  std::vector<std::string> lines;
  for (const std::string& pattern : args.patterns) lines.push_back(TrackAttributeLine(pattern));
  auto added = AddAttributeLines(*path, lines);
  if (!added.ok()) {
    PrintError(added.status().message());
    return kExitError;
  }
  const bool installed = FilterInstalled(**repo);
  if (args.json) {
    nlohmann::json doc = {{"attributes", *path}, {"added", *added}, {"tracked", TrackedPatterns(*path)},
                          {"filter_installed", installed}};
    fmt::print("{}\n", JsonLine(doc));
  } else {
    for (const std::string& line : *added) fmt::print("tracking: {}\n", line);
    if (args.patterns.empty() || added->size() < lines.size()) {
      fmt::print("tracked patterns in {}:\n", *path);
      for (const std::string& pattern : TrackedPatterns(*path)) fmt::print("  {}\n", pattern);
    }
  }
  if (!installed)
    fmt::print(stderr, "git-model: warning: the filter is not configured here; run `git model install` "
                       "so that git stores these files through git-model\n");
  return kExitOk;
}

}  // namespace

void SetupTrack(CLI::App& sub, int* exit_code) {
  auto args = std::make_shared<TrackArgs>();
  sub.add_option("patterns", args->patterns, "gitattributes patterns, e.g. \"*.pth\" (quote them from the shell)");
  sub.add_flag("--json", args->json, "One JSON document: the attributes file, lines added, patterns tracked");
  sub.footer("Files already committed keep their stored form until they are added again "
             "(`git add --renormalize .`).");
  sub.callback([args, exit_code] { *exit_code = RunTrack(*args); });
}

}  // namespace gitmodel::cli
