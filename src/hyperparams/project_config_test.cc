#include "hyperparams/project_config.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

namespace gitmodel {
namespace {

TEST(ProjectConfigTest, DefaultsWhenEmpty) {
  auto config = ParseProjectConfig("", ".git-model.toml");
  ASSERT_TRUE(config.ok()) << config.status().message();
  EXPECT_EQ(config->config_globs, DefaultConfigGlobs());
  EXPECT_FALSE(config->config_globs_from_file);
  EXPECT_EQ(config->hooks.max_file_bytes, 10'000'000u);
  EXPECT_TRUE(config->hooks.trailer);
  EXPECT_FALSE(config->hooks.require_cuda);
  EXPECT_EQ(config->hooks.checkpoint_patterns.size(), 5u);
}

TEST(ProjectConfigTest, ReadsEveryKey) {
  auto config = ParseProjectConfig(R"(
[params]
files = ["configs/**/*.yaml", "train.py"]
[hooks]
max_file_bytes = 1_000
checkpoint_patterns = ["*.pt"]
require_cuda = true
commands = ["black --check ."]
trailer = false
[future]
anything = 1
)",
                                   "x.toml");
  ASSERT_TRUE(config.ok()) << config.status().message();
  EXPECT_EQ(config->config_globs, (std::vector<std::string>{"configs/**/*.yaml", "train.py"}));
  EXPECT_TRUE(config->config_globs_from_file);
  EXPECT_EQ(config->hooks.max_file_bytes, 1000u);
  EXPECT_EQ(config->hooks.checkpoint_patterns, (std::vector<std::string>{"*.pt"}));
  EXPECT_TRUE(config->hooks.require_cuda);
  EXPECT_EQ(config->hooks.commands, (std::vector<std::string>{"black --check ."}));
  EXPECT_FALSE(config->hooks.trailer);
}

TEST(ProjectConfigTest, WrongTypesNameTheKey) {
  struct Case {
    const char* text;
    const char* key;
  } cases[] = {
      {"[params]\nfiles = \"a.yaml\"", "[params] files"},
      {"[params]\nfiles = [1]", "[params] files"},
      {"[hooks]\nmax_file_bytes = -1", "[hooks] max_file_bytes"},
      {"[hooks]\nmax_file_bytes = \"10MB\"", "[hooks] max_file_bytes"},
      {"[hooks]\ntrailer = 1", "[hooks] trailer"},
      {"[hooks]\nrequire_cuda = \"yes\"", "[hooks] require_cuda"},
      {"[hooks]\ncommands = \"make\"", "[hooks] commands"},
      {"hooks = 1", "[hooks]"},
  };
  for (const Case& c : cases) {
    auto config = ParseProjectConfig(c.text, "p.toml");
    ASSERT_FALSE(config.ok()) << c.text;
    EXPECT_NE(config.status().message().find(c.key), std::string::npos) << config.status().message();
    EXPECT_EQ(config.status().message().rfind("p.toml: ", 0), 0u) << config.status().message();
  }
}

TEST(ProjectConfigTest, SyntaxErrorHasLineAndColumn) {
  auto config = ParseProjectConfig("[params]\nfiles = [\"a\",,]\n", "p.toml");
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().message().rfind("p.toml:2:", 0), 0u) << config.status().message();
  EXPECT_NE(config.status().message().find("p.toml:2:14:"), std::string::npos) << config.status().message();
}

TEST(ProjectConfigTest, LoadsFromWorkdirOrDefaults) {
  const auto dir = std::filesystem::temp_directory_path() / "gm_project_config_test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto none = LoadProjectConfig(dir.string());
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->config_globs_from_file);
  std::ofstream(dir / ".git-model.toml") << "[params]\nfiles = [\"a.json\"]\n";
  auto some = LoadProjectConfig(dir.string());
  ASSERT_TRUE(some.ok()) << some.status().message();
  EXPECT_EQ(some->config_globs, (std::vector<std::string>{"a.json"}));
  std::filesystem::remove_all(dir);
}

TEST(ConfigGlobTest, DefaultGlobs) {
  auto any = [](std::string_view path) {
    for (const std::string& g : DefaultConfigGlobs())
      if (MatchesConfigGlob(g, path)) return true;
    return false;
  };
  for (const char* yes : {"params.yaml", "config.yaml", "config.py", "hparams.json", "hparams.yaml",
                          "config/a.yaml", "config/x/y/b.yml", "config/c.json", "config/d.toml"})
    EXPECT_TRUE(any(yes)) << yes;
  for (const char* no : {"sub/params.yaml", "config.yml", "config/a.txt", "configs/a.yaml", "config",
                         "train.py", "myconfig.yaml", "config/.hidden.yaml"})
    EXPECT_FALSE(any(no)) << no;
}

TEST(ConfigGlobTest, Rules) {
  EXPECT_TRUE(MatchesConfigGlob("a/*.yaml", "a/b.yaml"));
  EXPECT_FALSE(MatchesConfigGlob("a/*.yaml", "a/b/c.yaml"));  // '*' stays within a component
  EXPECT_TRUE(MatchesConfigGlob("**/x.py", "x.py"));
  EXPECT_TRUE(MatchesConfigGlob("**/x.py", "a/b/x.py"));
  EXPECT_TRUE(MatchesConfigGlob("a/**", "a/b/c"));
  EXPECT_TRUE(MatchesConfigGlob("{a,b/{c,d}}.yaml", "b/d.yaml"));
  EXPECT_TRUE(MatchesConfigGlob("h?.toml", "h1.toml"));
  EXPECT_FALSE(MatchesConfigGlob("{a,b", "a"));  // an unclosed brace is literal
  EXPECT_TRUE(MatchesConfigGlob("{a,b", "{a,b"));
}

TEST(ConfigGlobTest, HostileGlobsStayFast) {
  std::string glob, path;
  for (int i = 0; i < 40; ++i) glob += "**/a/", path += "a/";
  glob += "b";
  path += "a";
  EXPECT_FALSE(MatchesConfigGlob(glob, path));  // exponential without memoization
  std::string braces;
  for (int i = 0; i < 30; ++i) braces += "{a,b}";
  EXPECT_FALSE(MatchesConfigGlob(braces, "c"));  // alternatives are capped
}

TEST(ConfigGlobTest, MayMatchUnder) {
  EXPECT_TRUE(ConfigGlobMayMatchUnder("config/**/*.{yaml,yml}", "config"));
  EXPECT_TRUE(ConfigGlobMayMatchUnder("config/**/*.{yaml,yml}", "config/a/b"));
  EXPECT_FALSE(ConfigGlobMayMatchUnder("config/**/*.{yaml,yml}", "src"));
  EXPECT_FALSE(ConfigGlobMayMatchUnder("params.yaml", "config"));
  EXPECT_TRUE(ConfigGlobMayMatchUnder("{a,b}/*.json", "b"));
  EXPECT_FALSE(ConfigGlobMayMatchUnder("a/*.json", "a/b"));
  EXPECT_TRUE(ConfigGlobMayMatchUnder("**/x.py", "deep/er"));
}

}  // namespace
}  // namespace gitmodel
