#include "provenance/env_diff.h"

#include <gtest/gtest.h>

#include "formats/testing/expect_error.h"

namespace gitmodel {
namespace {

using testutil::ExpectError;

EnvInfo Sample() {
  EnvInfo env;
  env.os = "Ubuntu 22.04.3 LTS";
  env.kernel = "5.15.0-88-generic";
  env.arch = "x86_64";
  env.cpu = "AMD EPYC 7763 64-Core Processor";
  env.cpu_cores = 256;
  env.memory_bytes = 2164372762624;
  env.hostname = "gpu-node-17";
  env.gpus = {{"NVIDIA A100-SXM4-80GB", 85899345920, "GPU-6d5e"}, {"NVIDIA A100-SXM4-80GB", 85899345920, "GPU-0f3c"}};
  env.driver = "535.104.05";
  env.cuda = "12.2";
  env.cuda_toolkit = "12.2.2";
  env.cudnn = "8.9.7";
  env.python = "3.10.12";
  env.torch = "2.1.0+cu121";
  env.torch_cuda = "12.1";
  env.torch_cudnn = "8.9.2";
  env.torch_source = "probe";
  env.container = {"docker", "nvcr.io/nvidia/pytorch:24.01-py3", "sha256:abc", std::string(64, 'e')};
  return env;
}

TEST(EnvJson, RoundTripsEveryField) {
  EnvInfo env = Sample();
  nlohmann::json j = EnvToJson(env);
  EXPECT_EQ(j["gpus"][1]["uuid"], "GPU-0f3c");
  EXPECT_EQ(j["container"]["image"], "nvcr.io/nvidia/pytorch:24.01-py3");
  auto back = EnvFromJson(j);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(EnvToJson(*back), j);
  EXPECT_TRUE(DiffEnv(env, *back).empty());
}

TEST(EnvJson, UnknownFieldsAreOmittedAndReadBack) {
  EXPECT_EQ(EnvToJson(EnvInfo{}), nlohmann::json::object());
  EnvInfo partial;
  partial.os = "Debian GNU/Linux 12 (bookworm)";
  partial.gpus = {{"", 0, "GPU-1"}};
  EXPECT_EQ(EnvToJson(partial).dump(), R"J({"gpus":[{"uuid":"GPU-1"}],"os":"Debian GNU/Linux 12 (bookworm)"})J");
  auto lenient = EnvFromJson(nlohmann::json::parse(R"({"os": "x", "torch": null, "future_key": {"a": 1}})"));
  ASSERT_TRUE(lenient.ok());
  EXPECT_EQ(lenient->os, "x");
  EXPECT_EQ(lenient->torch, "");
}

TEST(EnvJson, WrongTypesNameTheKey) {
  auto bad = [](const char* text) { return EnvFromJson(nlohmann::json::parse(text)); };
  ExpectError(bad(R"({"kernel": 5})"), Code::kCorrupt, "env.kernel: expected a string");
  ExpectError(bad(R"({"cpu_cores": "8"})"), Code::kCorrupt, "env.cpu_cores");
  ExpectError(bad(R"({"cpu_cores": -2})"), Code::kCorrupt, "env.cpu_cores");
  ExpectError(bad(R"({"memory_bytes": 1.5})"), Code::kCorrupt, "env.memory_bytes");
  ExpectError(bad(R"({"gpus": {"name": "x"}})"), Code::kCorrupt, "env.gpus: expected a list");
  ExpectError(bad(R"({"gpus": [{"name": "a"}, {"memory_bytes": "80GB"}]})"), Code::kCorrupt,
              "env.gpus.1.memory_bytes");
  ExpectError(bad(R"({"gpus": [7]})"), Code::kCorrupt, "env.gpus.0: expected an object");
  ExpectError(bad(R"({"container": {"id": []}})"), Code::kCorrupt, "env.container.id");
  ExpectError(bad(R"([1, 2])"), Code::kCorrupt, "env: expected an object");
}

TEST(EnvDiff, ListsDifferencesInFieldOrder) {
  EnvInfo a = Sample(), b = Sample();
  EXPECT_TRUE(DiffEnv(a, b).empty());
  b.torch = "2.2.0+cu121";
  b.gpus.push_back({"NVIDIA H100 80GB HBM3", 85520809984, "GPU-9a9a"});
  b.gpus[0].uuid = "GPU-ffff";
  b.container.image = "";
  a.cpu_cores = 0;
  std::vector<std::string> keys;
  for (const EnvDifference& d : DiffEnv(a, b)) keys.push_back(d.key);
  EXPECT_EQ(keys, (std::vector<std::string>{"cpu_cores", "gpus.0.uuid", "gpus.2.name", "gpus.2.memory_bytes",
                                            "gpus.2.uuid", "torch", "container.image"}));
  auto diff = DiffEnv(a, b);
  EXPECT_EQ(diff[0].a, "unknown");
  EXPECT_EQ(diff[0].b, "256");
  EXPECT_EQ(diff[2].a, "unknown");
  EXPECT_EQ(diff[2].b, "NVIDIA H100 80GB HBM3");
  EXPECT_EQ(diff[5].a, "2.1.0+cu121");
  EXPECT_EQ(diff[6].b, "unknown");
}

}  // namespace
}  // namespace gitmodel
