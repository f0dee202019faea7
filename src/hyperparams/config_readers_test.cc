// JSON, TOML and file dispatch (YAML and Python have their own test files).
#include "hyperparams/config_readers.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "formats/testing/expect_error.h"

namespace gitmodel {
namespace {

using json = nlohmann::json;
using testutil::ExpectError;

std::string WriteTemp(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + "/" + name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

TEST(ConfigJson, TypesNestingAndErrors) {
  auto r = ParseJsonConfig(R"({"lr": 1e-3, "n": 3, "big": 18446744073709551615, "ok": true, "x": null,
                               "opt": {"betas": [0.9, 0.999]}, "s": "caf\u00e9"})", "c.json");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(*r, (FlatParams{{"lr", 0.001}, {"n", 3}, {"big", 18446744073709551615u}, {"ok", true}, {"x", nullptr},
                            {"opt.betas", json::array({0.9, 0.999})}, {"s", "caf\xC3\xA9"}}));
  ExpectError(ParseJsonConfig("{\n  \"a\": 1,\n  \"b\": tru\n}", "bad.json"), Code::kInvalidArgument, "bad.json:3:11: ");
  ExpectError(ParseJsonConfig("{\"a\": \"\xFF\"}", "utf8.json"), Code::kInvalidArgument, "utf8.json:1:8: ");
  ExpectError(ParseJsonConfig("[1, 2]", "list.json"), Code::kInvalidArgument, "list.json: top level is a list");
  ExpectError(ParseJsonConfig(std::string(100000, '[') + std::string(100000, ']'), "deep.json"), Code::kLimit,
              "deep.json: nests deeper than 64");
  EXPECT_TRUE(ParseJsonConfig("null", "n.json").ok());
}

TEST(ConfigJson, ValueCountIsBounded) {
  std::string many = "{\"a\": [";
  for (size_t i = 0; i <= kMaxConfigValues; ++i) many += "0,";
  many += "0]}";
  ExpectError(ParseJsonConfig(many, "many.json"), Code::kLimit, "more than 1000000 values");
}

TEST(ConfigToml, TypesTablesArraysAndDates) {
  auto r = ParseTomlConfig(R"(
title = "run"
lr = 3e-4
epochs = 10
amp = true
when = 1979-05-27T07:32:00Z
day = 1979-05-27
big = inf

[optimizer]
name = "adam"
betas = [0.9, 0.999]

[[stage]]
steps = 100
[[stage]]
steps = 200
)", "c.toml");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->at("title"), json("run"));
  EXPECT_EQ(r->at("lr"), json(3e-4));
  EXPECT_EQ(r->at("epochs"), json(10));
  EXPECT_EQ(r->at("amp"), json(true));
  EXPECT_EQ(r->at("when"), json("1979-05-27T07:32:00Z"));
  EXPECT_EQ(r->at("day"), json("1979-05-27"));
  EXPECT_EQ(r->at("big"), json(INFINITY));
  EXPECT_EQ(r->at("optimizer.betas"), json::array({0.9, 0.999}));
  EXPECT_EQ(r->at("stage.0.steps"), json(100));
  EXPECT_EQ(r->at("stage.1.steps"), json(200));
}

TEST(ConfigToml, ErrorsNameTheFileLineAndColumn) {
  ExpectError(ParseTomlConfig("a = 1\nb = \n", "bad.toml"), Code::kInvalidArgument, "bad.toml:2:5: ");
  ExpectError(ParseTomlConfig("a = 1\na = 2\n", "dup.toml"), Code::kInvalidArgument, "dup.toml:2:5: ");
  ExpectError(ParseTomlConfig("a = " + std::string(100, '[') + std::string(100, ']'), "deep.toml"), Code::kLimit,
              "deep.toml:1: nests deeper than 64");
  ExpectError(ParseTomlConfig("\"a.b\" = 1\na.b = 2\n", "c.toml"), Code::kInvalidArgument, "key 'a.b' appears twice");
}

TEST(ConfigFiles, FormatComesFromTheExtension) {
  EXPECT_EQ(*ConfigFormatForPath("conf/train.YAML"), ConfigFormat::kYaml);
  EXPECT_EQ(*ConfigFormatForPath("a.yml"), ConfigFormat::kYaml);
  EXPECT_EQ(*ConfigFormatForPath("a.json"), ConfigFormat::kJson);
  EXPECT_EQ(*ConfigFormatForPath("pyproject.toml"), ConfigFormat::kToml);
  EXPECT_EQ(*ConfigFormatForPath("configs/r50.py"), ConfigFormat::kPython);
  ExpectError(ConfigFormatForPath("params.cfg"), Code::kInvalidArgument, "accepted extensions: .yaml .yml .json .toml .py");
  ExpectError(ConfigFormatForPath("dir.yaml/config"), Code::kInvalidArgument, "unknown config format");
}

TEST(ConfigFiles, ReadsEachFormatFromDisk) {
  EXPECT_EQ(*ReadConfigFile(WriteTemp("c.yaml", "lr: 0.1\n")), (FlatParams{{"lr", 0.1}}));
  EXPECT_EQ(*ReadConfigFile(WriteTemp("c.json", "{\"lr\": 0.1}")), (FlatParams{{"lr", 0.1}}));
  EXPECT_EQ(*ReadConfigFile(WriteTemp("c.toml", "lr = 0.1\n")), (FlatParams{{"lr", 0.1}}));
  EXPECT_EQ(*ReadConfigFile(WriteTemp("c.py", "import os\nlr = 0.1\n")), (FlatParams{{"lr", 0.1}}));
  ExpectError(ReadConfigFile(::testing::TempDir() + "/missing.yaml"), Code::kIO, "missing.yaml");
}

TEST(ConfigFiles, SizeIsBounded) {
  const std::string big(kMaxConfigBytes + 1, ' ');
  ExpectError(ParseConfigText(ConfigFormat::kYaml, big, "big.yaml"), Code::kLimit, "big.yaml: config is");
  const std::string path = WriteTemp("big.json", big);
  ExpectError(ReadConfigFile(path), Code::kLimit, "more than the limit");
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace gitmodel
