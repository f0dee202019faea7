#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "formats/testing/expect_error.h"
#include "hyperparams/config_readers.h"
#include "hyperparams/yaml_scalar.h"

namespace gitmodel {
namespace {

using json = nlohmann::json;
using testutil::ExpectError;

FlatParams Yaml(std::string_view text) {
  auto r = ParseYamlConfig(text, "train.yaml");
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? *r : FlatParams{};
}

TEST(ConfigYaml, PlainScalarsAreTypedByTheCoreSchema) {
  EXPECT_EQ(ResolvePlainYamlScalar("42"), json(42));
  EXPECT_EQ(ResolvePlainYamlScalar("-7"), json(-7));
  EXPECT_EQ(ResolvePlainYamlScalar("+7"), json(7));
  EXPECT_EQ(ResolvePlainYamlScalar("0x1F"), json(31));
  EXPECT_EQ(ResolvePlainYamlScalar("0o17"), json(15));
  EXPECT_EQ(ResolvePlainYamlScalar("1e-3"), json(0.001));
  EXPECT_EQ(ResolvePlainYamlScalar("3.0"), json(3.0));
  EXPECT_EQ(ResolvePlainYamlScalar(".5"), json(0.5));
  EXPECT_EQ(ResolvePlainYamlScalar("-.inf"), json(-INFINITY));
  EXPECT_TRUE(std::isnan(ResolvePlainYamlScalar(".NaN").get<double>()));
  EXPECT_EQ(ResolvePlainYamlScalar("1e999"), json(INFINITY));
  EXPECT_EQ(ResolvePlainYamlScalar("True"), json(true));
  EXPECT_EQ(ResolvePlainYamlScalar("FALSE"), json(false));
  EXPECT_EQ(ResolvePlainYamlScalar("~"), json(nullptr));
  EXPECT_EQ(ResolvePlainYamlScalar(""), json(nullptr));
  EXPECT_EQ(ResolvePlainYamlScalar("18446744073709551615"), json(18446744073709551615u));
  EXPECT_EQ(ResolvePlainYamlScalar("-9223372036854775808"), json(INT64_MIN));
  EXPECT_EQ(ResolvePlainYamlScalar("123456789012345678901234567890"), json("123456789012345678901234567890"));
  // YAML 1.1 forms stay strings under the 1.2 core schema.
  for (const char* s : {"yes", "no", "on", "off", "1_000", "0777x", "2001-12-14", "1:30", "nan", "inf", "0b101"})
    EXPECT_EQ(ResolvePlainYamlScalar(s), json(s)) << s;
}

TEST(ConfigYaml, QuotedAndStrTaggedScalarsStayStrings) {
  EXPECT_EQ(Yaml("a: '42'\nb: \"true\"\nc: !!str 1e-3\nd: !!int '7'\ne: null\nf: ~\ng:\n"),
            (FlatParams{{"a", "42"}, {"b", "true"}, {"c", "1e-3"}, {"d", 7}, {"e", nullptr}, {"f", nullptr}, {"g", nullptr}}));
}

TEST(ConfigYaml, NestedMappingsAndSequencesFlatten) {
  const FlatParams p = Yaml(R"(
model:
  name: resnet18     # a comment
  layers: [64, 128]
optimizer:
  betas:
    - 0.9
    - 0.999
schedule:
  - {step: 10, lr: 0.1}
  - {step: 20, lr: 0.01}
)");
  EXPECT_EQ(p, (FlatParams{{"model.name", "resnet18"}, {"model.layers", json::array({64, 128})},
                           {"optimizer.betas", json::array({0.9, 0.999})}, {"schedule.0.step", 10},
                           {"schedule.0.lr", 0.1}, {"schedule.1.step", 20}, {"schedule.1.lr", 0.01}}));
}

TEST(ConfigYaml, AnchorsAliasesAndMergeKeys) {
  const FlatParams p = Yaml(R"(
base: &base {lr: 0.1, wd: 0.0001}
sizes: &sizes [1, 2]
train:
  <<: *base
  lr: 0.5
  sizes: *sizes
multi:
  <<: [{a: 1, b: 1}, {b: 2, c: 2}]
)");
  EXPECT_EQ(p.at("train.lr"), json(0.5));  // explicit keys win over merged ones
  EXPECT_EQ(p.at("train.wd"), json(0.0001));
  EXPECT_EQ(p.at("train.sizes"), json::array({1, 2}));
  EXPECT_EQ(p.at("multi.b"), json(1));  // the first merged mapping wins
  EXPECT_EQ(p.at("multi.c"), json(2));
  EXPECT_EQ(p.count("train.<<"), 0u);
}

TEST(ConfigYaml, AliasBombsStopAtTheValueLimit) {
  std::string bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i < 10; ++i) {
    bomb += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
    for (int k = 0; k < 10; ++k) bomb += (k ? ", *a" : "*a") + std::to_string(i - 1);
    bomb += "]\n";
  }
  ExpectError(ParseYamlConfig(bomb, "bomb.yaml"), Code::kLimit, "bomb.yaml:");
}

TEST(ConfigYaml, NestingIsBounded) {
  ExpectError(ParseYamlConfig(std::string(1000, '[') + std::string(1000, ']'), "deep.yaml"), Code::kLimit,
              "nests deeper than 64");
  auto unclosed = ParseYamlConfig("a: " + std::string(100000, '['), "deeper.yaml");
  ASSERT_FALSE(unclosed.ok());
  EXPECT_EQ(unclosed.status().message().rfind("deeper.yaml:1: ", 0), 0u) << unclosed.status().message();
  std::string blocks;
  for (int i = 0; i < 100; ++i) blocks += std::string(static_cast<size_t>(i), ' ') + "k:\n";
  ExpectError(ParseYamlConfig(blocks, "blocks.yaml"), Code::kLimit, "blocks.yaml:65: nests deeper than 64");
}

TEST(ConfigYaml, DocumentsAndTopLevelShape) {
  EXPECT_EQ(Yaml(""), FlatParams{});
  EXPECT_EQ(Yaml("# only a comment\n"), FlatParams{});
  EXPECT_EQ(Yaml("---\na: 1\n...\n"), (FlatParams{{"a", 1}}));
  EXPECT_EQ(Yaml("a: 1\n---\n"), (FlatParams{{"a", 1}}));  // a trailing empty document is ignored
  ExpectError(ParseYamlConfig("a: 1\n---\nb: 2\n", "two.yaml"), Code::kInvalidArgument,
              "two.yaml:2: a second YAML document");
  ExpectError(ParseYamlConfig("- 1\n- 2\n", "list.yaml"), Code::kInvalidArgument, "top level is a list");
  ExpectError(ParseYamlConfig("just text", "s.yaml"), Code::kInvalidArgument, "top level is a string");
}

TEST(ConfigYaml, ErrorsNameTheFileAndLine) {
  ExpectError(ParseYamlConfig("a: 1\nb: [1, 2\nc: 3\n", "bad.yaml"), Code::kInvalidArgument, "bad.yaml:");
  ExpectError(ParseYamlConfig("a: 1\n  b: 2\n", "indent.yaml"), Code::kInvalidArgument, "indent.yaml:2:");
  ExpectError(ParseYamlConfig("a: *nowhere\n", "alias.yaml"), Code::kInvalidArgument, "alias.yaml:1:");
  ExpectError(ParseYamlConfig("? [1, 2]\n: x\n", "key.yaml"), Code::kInvalidArgument, "only scalar keys");
  ExpectError(ParseYamlConfig("a: &x [1, *x]\n", "self.yaml"), Code::kInvalidArgument, "self.yaml:1:");
  // yaml-cpp loops on these without consuming anything (found by fuzz_config).
  ExpectError(ParseYamlConfig(", \"big\": 2e}", "comma.yaml"), Code::kInvalidArgument, "comma.yaml:1: unexpected ','");
  ExpectError(ParseYamlConfig("- a\n,\n", "seq.yaml"), Code::kInvalidArgument, "seq.yaml:2: unexpected ','");
}

TEST(ConfigYaml, DuplicateKeysKeepTheLastValueAndTextIsValidUtf8) {
  EXPECT_EQ(Yaml("a: 1\na: 2\n"), (FlatParams{{"a", 2}}));
  const FlatParams p = Yaml("name: \"caf\xC3\xA9\"\nbad: ab\xFF\n");
  EXPECT_EQ(p.at("name"), json("caf\xC3\xA9"));
  EXPECT_NO_THROW((void)p.at("bad").dump());
}

}  // namespace
}  // namespace gitmodel
