#include "hyperparams/yaml_fast.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "hyperparams/config_readers.h"

namespace gitmodel {
namespace {

// Where the fast path answers, it must answer exactly as the full parser does.
// Returns whether the fast path answered.
bool ExpectSameAsFullParser(const std::string& text) {
  std::optional<FlatParams> fast = TryParseSimpleYaml(text);
  if (!fast) return false;
  auto full = ParseYamlConfig(text, "t.yaml");
  EXPECT_TRUE(full.ok()) << "fast path accepted what yaml-cpp refuses:\n" << text << full.status().message();
  if (full.ok()) {
    EXPECT_EQ(nlohmann::json(*fast).dump(), nlohmann::json(*full).dump()) << text;
  }
  return true;
}

TEST(YamlFastTest, ParsesTheCommonSubset) {
  const std::string text =
      "# model\noptimizer:\n  name: adam   # comment\n  lr: 1e-3\n  betas: '0.9'\n  eps: \"x y\"\n"
      "empty:\nnested:\n    deep:\n        a: -1\n    b: .inf\nflag: true\nnone: ~\nhex: 0x10\nurl: a#b\n";
  auto fast = TryParseSimpleYaml(text);
  ASSERT_TRUE(fast.has_value());
  EXPECT_EQ(fast->at("optimizer.lr"), 1e-3);
  EXPECT_EQ(fast->at("optimizer.name"), "adam");
  EXPECT_EQ(fast->at("optimizer.betas"), "0.9");
  EXPECT_EQ(fast->at("nested.deep.a"), -1);
  EXPECT_EQ(fast->at("url"), "a#b");
  EXPECT_TRUE(ExpectSameAsFullParser(text));
}

TEST(YamlFastTest, BailsOutOfEverythingElse) {
  for (const char* text : {"a: [1, 2]\n", "a:\n- 1\n", "a:\n  - 1\n", "a: &x 1\nb: *x\n", "a: !!str 1\n",
                           "a: |\n  text\n", "a: b\n  c\n", "a: \"x\\ty\"\n", "a: 'it''s'\n", "a: 1\na: 2\n",
                           "---\na: 1\n", "a:\tb\n", "a: b: c\n", " a: 1\nb: 2\n", "a:\n    b: 1\n  c: 2\n",
                           "? a\n: 1\n", "<<: {a: 1}\n", "a: 'x\n", "Null: 1\n", "\xef\xbb\xbf" "a: 1\n", "a: é\n"}) {
    EXPECT_FALSE(TryParseSimpleYaml(text).has_value()) << text;
  }
}

// Random configs near the subset's edges: every one the fast path takes must match yaml-cpp.
TEST(YamlFastTest, DifferentialAgainstYamlCpp) {
  const char* values[] = {"1", "-1", "1.5", "1e-3", ".5", "-.inf", ".NaN", "0x1f", "0o17", "true", "False", "~",
                          "null", "yes", "abc", "a b", "a#b", "'q'", "\"dq\"", "'a b' # c", "1 # c", "1_000",
                          "2024-01-01", "+1", "-", "'", "x:", "08", "1e5", "TRUE"};
  std::mt19937 rng(7);
  int answered = 0;
  for (int n = 0; n < 2000; ++n) {
    std::string text;
    int indent = 0;
    for (int line = 0, lines = 1 + static_cast<int>(rng() % 12); line < lines; ++line) {
      const std::string key = std::string(1, static_cast<char>('a' + rng() % 4)) + (rng() % 2 ? "_x" : "");
      text += std::string(static_cast<size_t>(indent), ' ') + key + ":";
      if (rng() % 4 == 0) {
        indent += 2 + static_cast<int>(rng() % 2) * 2;
      } else {
        text += std::string(" ") + values[rng() % std::size(values)];
        if (indent > 0 && rng() % 3 == 0) indent -= 2;
      }
      text += rng() % 8 == 0 ? "\n# c\n\n" : "\n";
    }
    answered += ExpectSameAsFullParser(text);
  }
  EXPECT_GT(answered, 300);  // the comparison must cover the fast path, not only its bail-outs
}

}  // namespace
}  // namespace gitmodel
