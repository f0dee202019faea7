#include "hyperparams/checkpoint_metadata.h"

#include <gtest/gtest.h>

#include <initializer_list>

#include "formats/checkpoint_impl.h"
#include "formats/testing/corpus.h"

namespace gitmodel {
namespace {

using json = nlohmann::json;

std::string Fixture(const std::string& name) { return std::string(GITMODEL_SOURCE_DIR) + "/tests/fixtures/" + name; }

CheckpointMetadata Read(const std::string& path) {
  auto ck = Checkpoint::Open(path);
  EXPECT_TRUE(ck.ok()) << ck.status().message();
  return ck.ok() ? ReadCheckpointMetadata(**ck) : CheckpointMetadata{};
}

// Written by scripts/make_metadata_fixture.py with torch 1.13.
TEST(CheckpointMetadata, TrainingScriptFieldsFromARealTorchSave) {
  const CheckpointMetadata m = Read(Fixture("checkpoint_metadata.pth"));
  EXPECT_EQ(m.hyperparams_source, "hyperparams");  // preferred over `args`
  EXPECT_EQ(m.hyperparams, (FlatParams{{"lr", 0.001}, {"layers", json::array({1, 2})}, {"optimizer.name", "adam"},
                                       {"optimizer.betas", json::array({0.9, 0.999})}}));
  EXPECT_TRUE(m.git.present);
  EXPECT_EQ(m.git.commit, "abc1234");
  EXPECT_EQ(m.git.branch, "main");
  EXPECT_EQ(m.git.dirty, std::optional<bool>(false));
  EXPECT_EQ(m.torch_version, "1.13.0a0");  // a pickled TorchVersion (a str subclass)
  EXPECT_EQ(m.cuda_available, std::optional<bool>(false));
  // Scalars only: not the model, the hyperparams, args, nor the 2000-character note.
  EXPECT_EQ(m.training, (FlatParams{{"epoch", 3}, {"loss", 0.25}, {"best_acc", 0.9375}}));
  EXPECT_FALSE(m.embedded_provenance_json);
}

TEST(CheckpointMetadata, LightningHyperParametersWithANamespace) {
  const CheckpointMetadata m = Read(testutil::CorpusPath("toadgan_lightning_namespace_hparams.ckpt"));
  EXPECT_EQ(m.hyperparams_source, "hyper_parameters");
  EXPECT_EQ(m.hyperparams.at("opt.game"), json("mario"));
  EXPECT_EQ(m.hyperparams.at("opt.lr_g"), json(0.0005));
  EXPECT_EQ(m.hyperparams.at("opt.device"), json("cuda:0"));
  EXPECT_EQ(m.hyperparams.at("opt.scales"), json::array({0.88, 0.75, 0.5}));
  EXPECT_EQ(m.hyperparams.at("opt.seed_road"), json(nullptr));
  EXPECT_EQ(m.hyperparams.at("opt.ImgGen"), json::array());
  EXPECT_EQ(m.hyperparams.size(), 45u);  // vars(opt) in torch.load
  EXPECT_EQ(m.training, (FlatParams{{"epoch", 29}, {"global_step", 330}, {"pytorch-lightning_version", "2.4.0"},
                                    {"hparams_name", "kwargs"}}));
  EXPECT_EQ(m.torch_version, "");  // Lightning's version is not torch's
  EXPECT_FALSE(m.git.present);
}

TEST(CheckpointMetadata, SafetensorsMetadataIsTraining) {
  const CheckpointMetadata m = Read(testutil::CorpusPath("hf_safetensors_samples_overall.safetensors"));
  EXPECT_EQ(m.training, (FlatParams{{"test", "a"}}));
  EXPECT_TRUE(m.hyperparams.empty());
}

TEST(CheckpointMetadata, PlainStateDictsHaveNone) {
  const CheckpointMetadata m = Read(testutil::CorpusPath("pyribs_mnist_classifier.pth"));
  EXPECT_TRUE(m.hyperparams.empty());
  EXPECT_TRUE(m.training.empty());
  EXPECT_FALSE(m.git.present);
}

// Object trees built by hand, for shapes the fixtures do not have.
class TreeBuilder {
 public:
  TreeBuilder() : impl_(std::make_unique<Checkpoint::Impl>()) {}
  Node* Str(std::string_view s) { return Text(NodeKind::kString, s); }
  Node* Int(int64_t v) {
    Node* n = impl_->arena.New(NodeKind::kInt);
    n->int_value = v;
    return n;
  }
  Node* Float(double v) {
    Node* n = impl_->arena.New(NodeKind::kFloat);
    n->float_value = v;
    return n;
  }
  Node* Dict(std::initializer_list<std::pair<std::string_view, Node*>> entries, NodeKind kind = NodeKind::kDict) {
    Node* n = impl_->arena.New(kind);
    for (auto [k, v] : entries) n->entries.emplace_back(Str(k), v);
    return n;
  }
  Node* List(std::initializer_list<Node*> items) {
    Node* n = impl_->arena.New(NodeKind::kList);
    n->items = items;
    return n;
  }
  Node* Object(std::string_view cls, Node* state) {
    Node* n = impl_->arena.New(NodeKind::kObject);
    n->class_name = cls;
    n->state = state;
    return n;
  }
  // A tensor without bytes, or a contiguous one over `bytes` (kept by the checkpoint).
  Node* Tensor(DType dtype, std::vector<int64_t> shape, std::vector<std::byte> bytes = {}) {
    TensorRef t;
    t.dtype = dtype;
    t.shape = std::move(shape);
    t.strides.assign(t.shape.size(), 1);
    t.has_storage = !bytes.empty();
    if (t.has_storage) t.storage = impl_->Own(std::move(bytes));
    impl_->tensors.push_back(t);
    Node* n = impl_->arena.New(NodeKind::kTensor);
    n->int_value = static_cast<int64_t>(impl_->tensors.size() - 1);
    return n;
  }
  CheckpointMetadata Read(Node* root) {
    impl_->root = root;
    impl_->format = Format::kTorchZip;
    Checkpoint ck(std::move(impl_));
    return ReadCheckpointMetadata(ck);
  }

 private:
  Node* Text(NodeKind kind, std::string_view s) {
    Node* n = impl_->arena.New(kind);
    n->text = s;
    return n;
  }
  std::unique_ptr<Checkpoint::Impl> impl_;
};

TEST(CheckpointMetadata, ANamespaceIsReadWhenNothingIsPreferred) {
  TreeBuilder b;
  const CheckpointMetadata m = b.Read(b.Dict({
      {"opt", b.Dict({{"state", b.Dict({})}, {"param_groups", b.List({})}})},  // an optimizer, skipped
      {"args", b.Object("argparse.Namespace", b.Dict({{"lr", b.Float(0.1)}, {"w", b.Tensor(DType::kFloat32, {3, 4})}}))},
      {"git_sha", b.Str("deadbeef")},
      {"git_dirty", b.Int(1)},
      {"torch_version", b.Str("2.3.0")},
  }));
  EXPECT_EQ(m.hyperparams_source, "args");
  EXPECT_EQ(m.hyperparams, (FlatParams{{"lr", 0.1}, {"w", "<tensor float32[3, 4]>"}}));
  EXPECT_EQ(m.git.commit, "deadbeef");
  EXPECT_EQ(m.git.dirty, std::optional<bool>(true));
  EXPECT_EQ(m.torch_version, "2.3.0");
  EXPECT_TRUE(m.training.empty());
}

TEST(CheckpointMetadata, OmegaConfDictConfig) {
  TreeBuilder b;
  auto value_node = [&](Node* v) { return b.Object("omegaconf.nodes.AnyNode", b.Dict({{"_val", v}, {"_parent", b.Dict({})}})); };
  Node* inner = b.Object("omegaconf.dictconfig.DictConfig",
                         b.Dict({{"_content", b.Dict({{"depth", value_node(b.Int(50))}})}}));
  Node* cfg = b.Object("omegaconf.dictconfig.DictConfig",
                       b.Dict({{"_content", b.Dict({{"lr", value_node(b.Float(0.01))}, {"model", inner},
                                                    {"tags", b.Object("omegaconf.listconfig.ListConfig",
                                                                      b.Dict({{"_content", b.List({value_node(b.Str("a"))})}}))}})},
                               {"_metadata", b.Object("omegaconf.base.ContainerMetadata", nullptr)}}));
  const CheckpointMetadata m = b.Read(b.Dict({{"cfg", cfg}, {"git", b.Str("0123abc")}}));
  EXPECT_EQ(m.hyperparams_source, "cfg");
  EXPECT_EQ(m.hyperparams, (FlatParams{{"lr", 0.01}, {"model.depth", 50}, {"tags", json::array({"a"})}}));
  EXPECT_EQ(m.git.commit, "0123abc");
}

TEST(CheckpointMetadata, CyclesAndSharedSubtreesAreBounded) {
  TreeBuilder b;
  Node* loop = b.Dict({{"lr", b.Float(0.5)}});
  loop->entries.emplace_back(b.Str("self"), loop);
  // 40 levels of a list holding the level below twice: 2^40 paths through 80 nodes.
  Node* shared = b.List({b.Int(1)});
  for (int i = 0; i < 40; ++i) shared = b.List({shared, shared});
  const CheckpointMetadata m = b.Read(b.Dict({{"hparams", b.Dict({{"loop", loop}, {"shared", shared}})}}));
  EXPECT_EQ(m.hyperparams.at("loop.lr"), json(0.5));
  EXPECT_EQ(m.hyperparams.at("loop.self"), json("<cycle>"));
  size_t truncated = 0;
  for (const auto& [k, v] : m.hyperparams) truncated += ParamValueText(v).find("<truncated>") != std::string::npos;
  EXPECT_GT(truncated, 0u);
  EXPECT_LT(m.hyperparams.size(), 200'000u);
}

TEST(CheckpointMetadata, ZeroDimensionalTensorsUnderPlainKeysAreTrainingNumbers) {
  TreeBuilder b;
  auto f32 = [](float v) { return std::vector<std::byte>(reinterpret_cast<std::byte*>(&v), reinterpret_cast<std::byte*>(&v) + 4); };
  auto i64 = [](int64_t v) { return std::vector<std::byte>(reinterpret_cast<std::byte*>(&v), reinterpret_cast<std::byte*>(&v) + 8); };
  const CheckpointMetadata m = b.Read(b.Dict({
      {"best_acc", b.Tensor(DType::kFloat32, {}, f32(0.75f))},
      {"step", b.Tensor(DType::kInt64, {}, i64(1200))},
      {"bn1.num_batches_tracked", b.Tensor(DType::kInt64, {}, i64(7))},  // a state_dict entry
      {"vector", b.Tensor(DType::kFloat32, {1}, f32(1.0f))},
      {"meta", b.Tensor(DType::kFloat32, {})},  // no bytes
      {"name", b.Str("run-7")},
  }));
  EXPECT_EQ(m.training, (FlatParams{{"best_acc", 0.75}, {"step", 1200}, {"name", "run-7"}}));
}

TEST(CheckpointMetadata, NonDictRootsYieldNothing) {
  TreeBuilder b;
  EXPECT_TRUE(b.Read(b.List({b.Int(1)})).training.empty());
  TreeBuilder c;
  const CheckpointMetadata m = c.Read(c.Object("model.Net", c.Dict({{"training", c.Int(1)}})));
  EXPECT_TRUE(m.training.empty());
}

}  // namespace
}  // namespace gitmodel
