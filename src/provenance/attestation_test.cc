#include "provenance/attestation.h"

#include <gtest/gtest.h>

namespace gitmodel {
namespace {

ProvenanceRecord SampleRecord() {
  ProvenanceRecord r;
  r.created = "2026-11-29T09:20:37Z";
  r.tool = "git-model 0.1.0";
  r.artifact.fingerprint = std::string(64, 'f');
  r.git = {.in_repo = true, .commit = std::string(40, 'c'), .branch = "main", .dirty = true,
           .remote = "https://git.example.com/team/model.git"};
  r.git.patch = PatchInfo{std::string(64, 'd'), 10, "diff", false};
  r.hyperparams = {{"optimizer.lr", 0.05}};
  r.config = {{"train.yaml", "yaml", std::string(40, 'b'), std::string(64, 'e')}};
  r.data = {{"data/train", std::string(64, '1'), 2, 8}};
  r.run = RunSection{"run-1", "python train.py", "2026-11-29T09:00:00Z", "2026-11-29T09:20:00Z", 0};
  return r;
}

TEST(AttestationTest, StatementFollowsInTotoV1AndSlsaProvenanceV1) {
  nlohmann::json st = BuildStatement(SampleRecord(), "ckpt.pth", std::string(64, 'a'));
  EXPECT_EQ(st["_type"], "https://in-toto.io/Statement/v1");
  EXPECT_EQ(st["predicateType"], "https://slsa.dev/provenance/v1");
  EXPECT_EQ(st["subject"][0]["name"], "ckpt.pth");
  EXPECT_EQ(st["subject"][0]["digest"]["sha256"], std::string(64, 'a'));
  EXPECT_EQ(st["subject"][0]["digest"]["gitmodel_fingerprint"], std::string(64, 'f'));

  const nlohmann::json& build = st["predicate"]["buildDefinition"];
  EXPECT_EQ(build["buildType"], "https://git-model.dev/train/v1");
  EXPECT_EQ(build["externalParameters"]["hyperparameters"]["optimizer.lr"], 0.05);
  EXPECT_EQ(build["externalParameters"]["command"], "python train.py");
  const nlohmann::json& deps = build["resolvedDependencies"];
  ASSERT_EQ(deps.size(), 4u);
  EXPECT_EQ(deps[0]["uri"], "git+https://git.example.com/team/model.git@refs/heads/main");
  EXPECT_EQ(deps[0]["digest"]["gitCommit"], std::string(40, 'c'));
  EXPECT_EQ(deps[1]["digest"]["sha256"], std::string(64, 'd'));  // the uncommitted patch
  EXPECT_EQ(deps[2]["digest"]["gitBlob"], std::string(40, 'b'));
  EXPECT_EQ(deps[3]["digest"]["gitmodel_tree"], std::string(64, '1'));

  const nlohmann::json& run = st["predicate"]["runDetails"];
  EXPECT_EQ(run["builder"]["version"]["git-model"], "0.1.0");
  EXPECT_EQ(run["metadata"]["invocationId"], "run-1");
  EXPECT_EQ(run["metadata"]["startedOn"], "2026-11-29T09:00:00Z");
  EXPECT_EQ(run["metadata"]["finishedOn"], "2026-11-29T09:20:00Z");
}

TEST(AttestationTest, StampOutsideARepositoryHasNoSourceDependency) {
  ProvenanceRecord r;
  r.created = "2026-11-29T09:20:37Z";
  nlohmann::json st = BuildStatement(r, "x.safetensors", std::string(64, 'a'));
  EXPECT_TRUE(st["predicate"]["buildDefinition"]["resolvedDependencies"].empty());
  EXPECT_EQ(st["predicate"]["runDetails"]["metadata"]["finishedOn"], "2026-11-29T09:20:37Z");
  EXPECT_FALSE(st["subject"][0]["digest"].contains("gitmodel_fingerprint"));
}

}  // namespace
}  // namespace gitmodel
