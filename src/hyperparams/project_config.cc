// `.git-model.toml`: toml++ parses it; each known key is checked for its type here. Globs are
// matched segment by segment with POSIX fnmatch after '{a,b}' alternatives are expanded.
#include "hyperparams/project_config.h"

#include <fnmatch.h>

#include <exception>
#include <span>
#include <filesystem>
#include <system_error>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "base/atomic_file.h"
#include "hyperparams/config_internal.h"
#include "hyperparams/toml_parse.h"
#include "hyperparams/flat_params.h"

namespace gitmodel {
namespace {

constexpr size_t kMaxGlobAlternatives = 256;  // '{a,b}{c,d}...' stops here

Status WrongType(std::string_view name, std::string_view key, std::string_view expected) {
  return InvalidArgument("{}: {} must be {}", name, key, expected);
}

Result<std::vector<std::string>> StringArray(const toml::table& table, std::string_view key,
                                             std::string_view full_key, std::string_view name) {
  const toml::node* node = table.get(key);
  const toml::array* array = node ? node->as_array() : nullptr;
  if (!array) return WrongType(name, full_key, "a list of strings");
  std::vector<std::string> out;
  for (const toml::node& item : *array) {
    const auto* s = item.as_string();
    if (!s) return WrongType(name, full_key, "a list of strings");
    out.push_back(Utf8Text(s->get()));
  }
  return out;
}

Status ReadParams(const toml::table& params, std::string_view name, ProjectConfig& config) {
  if (!params.contains("files")) return OkStatus();
  GM_ASSIGN_OR_RETURN(config.config_globs, StringArray(params, "files", "[params] files", name));
  config.config_globs_from_file = true;
  return OkStatus();
}

Status ReadBool(const toml::table& table, std::string_view key, std::string_view name, bool& out) {
  const toml::node* node = table.get(key);
  if (!node) return OkStatus();
  const auto* b = node->as_boolean();
  if (!b) return WrongType(name, fmt::format("[hooks] {}", key), "true or false");
  out = b->get();
  return OkStatus();
}

Status ReadHooks(const toml::table& hooks, std::string_view name, HookSettings& out) {
  if (const toml::node* node = hooks.get("max_file_bytes")) {
    const auto* i = node->as_integer();
    if (!i || i->get() < 0) return WrongType(name, "[hooks] max_file_bytes", "a non-negative integer");
    out.max_file_bytes = static_cast<uint64_t>(i->get());
  }
  if (hooks.contains("checkpoint_patterns")) {
    GM_ASSIGN_OR_RETURN(out.checkpoint_patterns,
                        StringArray(hooks, "checkpoint_patterns", "[hooks] checkpoint_patterns", name));
  }
  if (hooks.contains("commands")) {
    GM_ASSIGN_OR_RETURN(out.commands, StringArray(hooks, "commands", "[hooks] commands", name));
  }
  GM_RETURN_IF_ERROR(ReadBool(hooks, "require_cuda", name, out.require_cuda));
  return ReadBool(hooks, "trailer", name, out.trailer);
}

// Appends every alternative of `glob` ("a{b,c}d" -> "abd", "acd"); nested braces work.
void ExpandBraces(std::string_view glob, std::vector<std::string>& out) {
  const size_t open = glob.find('{');
  size_t close = std::string_view::npos;
  std::vector<size_t> commas;
  int depth = 0;
  for (size_t i = open; open != std::string_view::npos && i < glob.size(); ++i) {
    if (glob[i] == '{') ++depth;
    if (glob[i] == ',' && depth == 1) commas.push_back(i);
    if (glob[i] == '}' && --depth == 0) {
      close = i;
      break;
    }
  }
  if (close == std::string_view::npos || out.size() >= kMaxGlobAlternatives) {
    if (out.size() < kMaxGlobAlternatives) out.emplace_back(glob);
    return;
  }
  size_t start = open + 1;
  commas.push_back(close);
  for (size_t end : commas) {
    std::string alt(glob.substr(0, open));
    alt += glob.substr(start, end - start);
    alt += glob.substr(close + 1);
    ExpandBraces(alt, out);
    start = end + 1;
  }
}

std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    out.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// Matches segment by segment; `**` takes any number of path segments. Results are memoized by
// (glob index, path index), so a committed glob like "**/a/**/a/**" costs at most
// glob x path steps, never an exponential search.
class SegmentMatcher {
 public:
  SegmentMatcher(std::span<const std::string_view> glob, std::span<const std::string_view> path)
      : glob_(glob), path_(path), memo_((glob.size() + 1) * (path.size() + 1), kUnknown) {}

  bool Match(size_t g, size_t p) {
    int8_t& memo = memo_[g * (path_.size() + 1) + p];
    if (memo == kUnknown) memo = Compute(g, p) ? 1 : 0;
    return memo == 1;
  }

 private:
  static constexpr int8_t kUnknown = -1;

  bool Compute(size_t g, size_t p) {
    if (g == glob_.size()) return p == path_.size();
    if (glob_[g] == "**") return Match(g + 1, p) || (p < path_.size() && Match(g, p + 1));
    if (p == path_.size()) return false;
    const std::string pattern(glob_[g]), name(path_[p]);
    return fnmatch(pattern.c_str(), name.c_str(), FNM_PERIOD) == 0 && Match(g + 1, p + 1);
  }

  std::span<const std::string_view> glob_, path_;
  std::vector<int8_t> memo_;
};

bool MatchSegments(std::span<const std::string_view> glob, std::span<const std::string_view> path) {
  return SegmentMatcher(glob, path).Match(0, 0);
}

// True when some path below the directory `dir` may match `glob`.
bool MatchesUnder(std::span<const std::string_view> glob, std::span<const std::string_view> dir) {
  if (glob.empty()) return false;
  if (glob[0] == "**") return true;
  if (dir.empty()) return true;
  const std::string g(glob[0]), d(dir[0]);
  return fnmatch(g.c_str(), d.c_str(), FNM_PERIOD) == 0 && MatchesUnder(glob.subspan(1), dir.subspan(1));
}

}  // namespace

const std::vector<std::string>& DefaultConfigGlobs() {
  static const std::vector<std::string> kGlobs = {
      "params.yaml", "config.yaml", "config/**/*.{yaml,yml,json,toml}", "config.py", "hparams.*"};
  return kGlobs;
}

Result<ProjectConfig> ParseProjectConfig(std::string_view text, std::string_view name) {
  GM_ASSIGN_OR_RETURN(toml::table table, ParseTomlTable(text, name));
  ProjectConfig config;
  for (std::string_view section : {"params", "hooks"}) {
    const toml::node* node = table.get(section);
    if (node && !node->is_table()) return WrongType(name, fmt::format("[{}]", section), "a table");
  }
  if (const toml::table* params = table["params"].as_table()) GM_RETURN_IF_ERROR(ReadParams(*params, name, config));
  if (const toml::table* hooks = table["hooks"].as_table()) GM_RETURN_IF_ERROR(ReadHooks(*hooks, name, config.hooks));
  return config;
}

Result<ProjectConfig> LoadProjectConfig(const std::string& workdir) {
  const std::filesystem::path path = std::filesystem::path(workdir) / kProjectConfigName;
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return ProjectConfig{};
  GM_ASSIGN_OR_RETURN(std::string text, ReadSmallFile(path.string(), kMaxConfigBytes));
  return ParseProjectConfig(text, path.string());
}

bool MatchesConfigGlob(std::string_view glob, std::string_view path) {
  std::vector<std::string> alternatives;
  ExpandBraces(glob, alternatives);
  const std::vector<std::string_view> path_segments = Segments(path);
  for (const std::string& alt : alternatives) {
    const std::vector<std::string_view> glob_segments = Segments(alt);
    if (MatchSegments(glob_segments, path_segments)) return true;
  }
  return false;
}

bool ConfigGlobMayMatchUnder(std::string_view glob, std::string_view dir) {
  std::vector<std::string> alternatives;
  ExpandBraces(glob, alternatives);
  const std::vector<std::string_view> dir_segments = Segments(dir);
  for (const std::string& alt : alternatives) {
    const std::vector<std::string_view> glob_segments = Segments(alt);
    if (MatchesUnder(glob_segments, dir_segments)) return true;
  }
  return false;
}

}  // namespace gitmodel
