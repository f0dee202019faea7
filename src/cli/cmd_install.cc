// git model install [--global] [--external] [--attributes] [--json]: sets git up to use git-model:
// the diff driver (docs/git-integration.md) and the storage filter (docs/storage.md). Each
// concern is one Install* function that returns the file it touched and what it set there.
#include <algorithm>
#include <cstdlib>
#include <optional>

#include <fmt/core.h>

#include "base/find_program.h"
#include "cli/command.h"
#include "cli/render.h"
#include "git/attributes_file.h"
#include "git/config_file.h"
#include "git/driver_setup.h"

namespace gitmodel::cli {
namespace {

struct InstallArgs {
  bool global = false, external = false, attributes = false, json = false;
};

struct Item {
  std::string text;  // "diff.git-model.textconv = git-model textconv"
  bool changed = false;
};

struct Section {
  std::string key;    // "diff_driver": its key in --json
  std::string title;  // "diff driver"
  std::string file;
  std::vector<Item> items;
  nlohmann::json json;
  const char* changed_word = "set";
  const char* unchanged_word = "already set";
};

Result<Section> InstallConfig(const std::string& config_path, const std::vector<ConfigValue>& values,
                              std::string key, std::string title) {
  GM_ASSIGN_OR_RETURN(std::vector<ConfigChange> changes, SetConfigValues(config_path, values));
  Section s{std::move(key), std::move(title), config_path, {}, nlohmann::json::array()};
  for (const ConfigChange& c : changes) {
    s.items.push_back({fmt::format("{} = {}", c.key, c.value), c.changed});
    s.json.push_back({{"key", c.key}, {"value", c.value}, {"changed", c.changed}});
    if (c.previous && c.changed) s.json.back()["previous"] = *c.previous;
  }
  return s;
}

Result<Section> InstallAttributes(const GitRepo& repo) {
  GM_ASSIGN_OR_RETURN(std::string path, AttributesPath(repo));
  std::vector<std::string> lines = DiffAttributeLines();
  GM_ASSIGN_OR_RETURN(std::vector<std::string> added, AddAttributeLines(path, lines));
  Section s{"attributes", "attributes", path, {}, nlohmann::json::array(), "added", "already present"};
  for (const std::string& line : lines) {
    bool changed = std::find(added.begin(), added.end(), line) != added.end();
    s.items.push_back({line, changed});
    s.json.push_back({{"line", line}, {"added", changed}});
  }
  return s;
}

Result<std::vector<Section>> Install(const InstallArgs& args) {
  GM_ASSIGN_OR_RETURN(std::optional<GitRepo> repo, DiscoverRepo("."));
  if (!repo && (!args.global || args.attributes))
    return InvalidArgument("not in a git repository{}", args.attributes ? "" : " (--global configures git for every repository)");
  std::string config_path;
  if (args.global) {
    GM_ASSIGN_OR_RETURN(config_path, GlobalConfigPath());
  } else {
    config_path = RepositoryConfigPath(*repo);
  }
  std::vector<Section> sections;
  GM_ASSIGN_OR_RETURN(Section driver, InstallConfig(config_path, DiffDriverConfig(args.external), "diff_driver", "diff driver"));
  sections.push_back(std::move(driver));
  GM_ASSIGN_OR_RETURN(Section filter, InstallConfig(config_path, FilterDriverConfig(), "filter", "storage filter"));
  sections.push_back(std::move(filter));
  if (args.attributes) {
    GM_ASSIGN_OR_RETURN(Section attributes, InstallAttributes(*repo));
    sections.push_back(std::move(attributes));
  }
  return sections;
}

void Render(const std::vector<Section>& sections, bool on_path, bool json) {
  if (json) {
    nlohmann::json doc = {{"git_model_on_path", on_path}};
    for (const Section& s : sections) doc[s.key] = {{"file", s.file}, {"entries", s.json}};
    fmt::print("{}\n", JsonLine(doc));
    return;
  }
  for (const Section& s : sections) {
    fmt::print("{}: {}\n", s.title, s.file);
    for (const Item& item : s.items) fmt::print("  {}  ({})\n", item.text, item.changed ? s.changed_word : s.unchanged_word);
  }
}

int RunInstall(const InstallArgs& args) {
  auto sections = Install(args);
  if (!sections.ok()) {
    PrintError(sections.status().message());
    return kExitError;
  }
  const char* path_env = std::getenv("PATH");
  bool on_path = FindProgram(kProgram, path_env ? path_env : "").has_value();
  if (!on_path)
    fmt::print(stderr, "git-model: warning: '{}' is not on PATH; git runs the diff driver and the filter by that name\n",
               kProgram);
  Render(*sections, on_path, args.json);
  return kExitOk;
}

}  // namespace

void SetupInstall(CLI::App& sub, int* exit_code) {
  auto args = std::make_shared<InstallArgs>();
  sub.add_flag("--global", args->global, "Configure ~/.gitconfig instead of this repository's config");
  sub.add_flag("--external", args->external,
               "Also make `git diff` print git-model's numeric diff (diff.git-model.command); "
               "`git log -p` and `git show` keep the text form unless given --ext-diff");
  sub.add_flag("--attributes", args->attributes,
               "Add `*.pt *.pth *.ckpt *.safetensors diff=git-model` to the repository's .gitattributes");
  sub.add_flag("--json", args->json, "One JSON document: the files changed and each setting");
  sub.footer("Idempotent: settings already in place are left as they are.");
  sub.callback([args, exit_code] { *exit_code = RunInstall(*args); });
}

}  // namespace gitmodel::cli
