// Opens every real checkpoint of the corpus (tests/corpus/real, written by other projects).
#include "gitmodel/checkpoint.h"

#include <gtest/gtest.h>

#include <map>

namespace gitmodel {
namespace {

std::string Corpus(const std::string& name) { return std::string(GITMODEL_SOURCE_DIR) + "/tests/corpus/real/" + name; }

struct Expected {
  Format format;
  size_t tensors;  // what torch (or the safetensors header) reports; TorchScript: all pickled tensors
};

// Counts from tests/corpus/real/MANIFEST.tsv (TorchScript files hold more tensors than their
// state_dict: constants, packed quantized weights).
const std::map<std::string, Expected> kCorpus = {
    {"candle_fortran_tensor_3d.pth", {Format::kTorchZip, 1}},
    {"facenet_pnet.pt", {Format::kTorchLegacy, 13}},
    {"gopickle_tensor_bfloat16_proto1.pt", {Format::kTorchLegacy, 1}},
    {"gopickle_tensor_bfloat16_proto2_zip.pt", {Format::kTorchZip, 1}},
    {"gopickle_tensor_bfloat16_proto5.pt", {Format::kTorchLegacy, 1}},
    {"gopickle_tensor_bool_proto3.pt", {Format::kTorchLegacy, 1}},
    {"hf_safetensors_samples_overall.safetensors", {Format::kSafetensors, 9}},
    {"ikostrikov_ppo_InvertedPendulum_torch03.pt", {Format::kTorchLegacy, 18}},
    {"kornia_loftr_outdoor_and_homography_data.pt", {Format::kTorchZip, 8}},
    {"ocamltorch_foo_jit_torch10_2019-01.pt", {Format::kTorchScriptLegacy, 1}},
    {"ocamltorch_foo_jit_torch11_2019-05.pt", {Format::kTorchScriptLegacy, 1}},
    {"pyribs_mnist_classifier.pth", {Format::kTorchZip, 10}},
    {"silero_vad_16k.safetensors", {Format::kSafetensors, 15}},
    {"toadgan_lightning_namespace_hparams.ckpt", {Format::kTorchZip, 13}},
};

TEST(CheckpointCorpus, EveryRealFileOpensWithTheRightFormatAndTensorCount) {
  for (const auto& [name, expected] : kCorpus) {
    auto ck = Checkpoint::Open(Corpus(name));
    ASSERT_TRUE(ck.ok()) << name << ": " << ck.status().message();
    EXPECT_EQ((*ck)->format(), expected.format) << name;
    EXPECT_EQ((*ck)->tensors().size(), expected.tensors) << name;
  }
}

TEST(CheckpointCorpus, TorchScriptArchivesOpen) {
  for (const char* name : {"silero_vad.jit", "silero_vad_2021_model_micro.jit", "silero_vad_v3_2022.jit"}) {
    auto ck = Checkpoint::Open(Corpus(name));
    ASSERT_TRUE(ck.ok()) << name << ": " << ck.status().message();
    EXPECT_EQ((*ck)->format(), Format::kTorchScript);
    EXPECT_GE((*ck)->tensors().size(), 30u) << name;
  }
}

TEST(CheckpointCorpus, FortranOrderTensorKeepsItsStrides) {
  auto ck = Checkpoint::Open(Corpus("candle_fortran_tensor_3d.pth"));
  ASSERT_TRUE(ck.ok());
  const TensorRef& t = (*ck)->tensors()[0];
  EXPECT_EQ(t.name, "tensor_fortran");
  EXPECT_EQ(Name(t.dtype), "int64");
  EXPECT_EQ(t.shape, (std::vector<int64_t>{2, 3, 4}));
  EXPECT_EQ(t.strides, (std::vector<int64_t>{1, 2, 6}));
  EXPECT_FALSE(t.is_contiguous());
  EXPECT_EQ(t.storage_key, "data/0");
  EXPECT_EQ(t.storage.size(), 24u * 8);
}

TEST(CheckpointCorpus, LightningNamespaceAndDeviceAreTyped) {
  auto ck = Checkpoint::Open(Corpus("toadgan_lightning_namespace_hparams.ckpt"));
  ASSERT_TRUE(ck.ok());
  const Node* root = (*ck)->root();
  const Node* hparams = nullptr;
  for (auto [k, v] : root->entries)
    if (k->text == "hyper_parameters") hparams = v;
  ASSERT_NE(hparams, nullptr);
  const Node* opt = hparams->entries.at(0).second;
  EXPECT_EQ(opt->kind, NodeKind::kObject);
  EXPECT_EQ(opt->class_name, "argparse.Namespace");
  bool saw_device = false;
  for (auto [k, v] : opt->state->entries) saw_device |= v->kind == NodeKind::kDevice;
  EXPECT_TRUE(saw_device);
  EXPECT_EQ((*ck)->tensors()[0].name.rfind("state_dict.", 0), 0u);
}

TEST(CheckpointCorpus, QuantizedTensorsInTorchScript) {
  auto ck = Checkpoint::Open(Corpus("silero_vad_2021_model_micro.jit"));
  ASSERT_TRUE(ck.ok());
  size_t qint8 = 0;
  for (const TensorRef& t : (*ck)->tensors())
    if (t.dtype == DType::kQInt8) {
      ++qint8;
      ASSERT_TRUE(t.quant.has_value()) << t.name;
      EXPECT_EQ(t.quant->scheme, "per_tensor_affine");
      EXPECT_GT(t.quant->scale, 0);
    }
  EXPECT_GT(qint8, 0u);
}

TEST(CheckpointOpen, ErrorsNameTheFile) {
  auto missing = Checkpoint::Open("/nonexistent/x.pth");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), Code::kIO);
  EXPECT_NE(missing.status().message().find("/nonexistent/x.pth"), std::string::npos);
  auto manifest = Checkpoint::Open(Corpus("MANIFEST.tsv"));
  ASSERT_FALSE(manifest.ok());
  EXPECT_NE(manifest.status().message().find("MANIFEST.tsv: not a checkpoint"), std::string::npos)
      << manifest.status().message();
}

}  // namespace
}  // namespace gitmodel
