#include "provenance/record.h"

#include <gtest/gtest.h>

namespace gitmodel {
namespace {

ProvenanceRecord FullRecord() {
  ProvenanceRecord r;
  r.created = "2026-11-29T09:20:37Z";
  r.tool = "git-model 0.1.0";
  r.artifact = {"ckpt.pth", "torch-zip", 1234, 2, 12, std::string(64, 'a'), {{"fc.weight", "0123456789abcdef"}}};
  r.git.in_repo = true;
  r.git.commit = std::string(40, 'c');
  r.git.branch = "main";
  r.git.dirty = true;
  r.git.changed = {"train.py"};
  r.git.untracked = {"notes.txt"};
  r.git.patch = PatchInfo{std::string(64, 'd'), 10, "diff --git", false};
  r.hyperparams = {{"lr", 0.001}, {"layers", nlohmann::json::array({64, 128})}, {"name", "x"}};
  r.hyperparam_sources = {{"lr", "config:train.yaml"}};
  r.config = {{"train.yaml", "yaml", std::string(40, 'b'), std::string(64, 'e')}};
  r.env.os = "Debian GNU/Linux 12 (bookworm)";
  r.env.cpu_cores = 2;
  r.data = {DataDigest{"data", std::string(64, 'f'), 3, 300}};
  r.metrics = {{"val_acc", 0.91}};
  r.run = RunSection{"r1", "python train.py", "t0", "t1", 0};
  return r;
}

TEST(RecordTest, RoundTripsEveryField) {
  ProvenanceRecord r = FullRecord();
  std::string text = SerializeRecord(r);
  auto back = ParseRecord(text);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(SerializeRecord(*back), text);
  EXPECT_EQ(back->git.patch->text, "diff --git");
  EXPECT_EQ(back->hyperparams.at("layers"), nlohmann::json::array({64, 128}));
  EXPECT_EQ(back->artifact.tensor_digests.at("fc.weight"), "0123456789abcdef");
  EXPECT_EQ(back->run->exit_code, 0);
  EXPECT_EQ(back->data.at(0).files, 3u);
}

TEST(RecordTest, OutsideARepositoryOnlySaysSo) {
  ProvenanceRecord r;
  nlohmann::json j = RecordToJson(r);
  EXPECT_EQ(j["git"], nlohmann::json({{"in_repo", false}}));
  EXPECT_EQ(j["schema"], "git-model/provenance/v1");
}

TEST(RecordTest, RefusesOtherSchemasAndNonRecords) {
  EXPECT_EQ(ParseRecord(R"({"schema": "git-model/provenance/v2"})").status().code(), Code::kUnsupported);
  EXPECT_EQ(ParseRecord(R"({"hello": 1})").status().code(), Code::kCorrupt);
  EXPECT_EQ(ParseRecord("[1]").status().code(), Code::kCorrupt);
  EXPECT_EQ(ParseRecord("{").status().code(), Code::kCorrupt);
}

TEST(RecordTest, WrongTypesNameTheField) {
  auto r = ParseRecord(R"({"schema": "git-model/provenance/v1", "git": {"dirty": "yes"}})");
  ASSERT_EQ(r.status().code(), Code::kCorrupt);
  EXPECT_NE(r.status().message().find("git.dirty"), std::string::npos) << r.status().message();
  r = ParseRecord(R"({"schema": "git-model/provenance/v1", "metrics": {"acc": "high"}})");
  EXPECT_NE(r.status().message().find("metrics.acc"), std::string::npos) << r.status().message();
  r = ParseRecord(R"({"schema": "git-model/provenance/v1", "artifact": {"bytes": -1}})");
  EXPECT_NE(r.status().message().find("artifact.bytes"), std::string::npos) << r.status().message();
  r = ParseRecord(R"({"schema": "git-model/provenance/v1", "hyperparams": {"a": {"b": 1}}})");
  EXPECT_EQ(r.status().code(), Code::kCorrupt);
}

TEST(RecordTest, IgnoresUnknownKeysAndRefusesHugeOrDeepRecords) {
  EXPECT_TRUE(ParseRecord(R"({"schema": "git-model/provenance/v1", "future": {"x": 1}})").ok());
  std::string deep = R"({"schema": "git-model/provenance/v1", "x": )" + std::string(1000, '[') +
                     std::string(1000, ']') + "}";
  EXPECT_EQ(ParseRecord(deep).status().code(), Code::kLimit);
  EXPECT_EQ(ParseRecord(std::string(kMaxRecordBytes + 1, ' ')).status().code(), Code::kLimit);
}

}  // namespace
}  // namespace gitmodel
