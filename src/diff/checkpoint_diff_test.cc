#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <fstream>

#include "formats/testing/safetensors_builder.h"
#include "git/testing/temp_repo.h"
#include "gitmodel/diff.h"

namespace gitmodel {
namespace {

using testutil::SafetensorsBuilder;

template <typename T>
std::vector<std::byte> Bytes(const std::vector<T>& v) {
  std::vector<std::byte> out(v.size() * sizeof(T));
  std::memcpy(out.data(), v.data(), out.size());
  return out;
}

std::unique_ptr<Checkpoint> Write(const testutil::TempDir& dir, const std::string& name, const SafetensorsBuilder& b) {
  const auto bytes = b.Finish();
  std::ofstream(dir / name, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  auto ck = Checkpoint::Open(dir / name);
  EXPECT_TRUE(ck.ok()) << ck.status().message();
  return std::move(*ck);
}

const TensorDiff& Find(const CheckpointDiff& d, std::string_view name) {
  for (const TensorDiff& t : d.tensors)
    if (t.name == name) return t;
  ADD_FAILURE() << "no tensor " << name;
  return d.tensors.front();
}

TEST(CheckpointDiffTest, StatusOfEveryKindOfChange) {
  testutil::TempDir dir;
  const auto same = Bytes(std::vector<float>{1, 2, 3, 4});
  const auto moved = Bytes(std::vector<float>{1, 2, 3.5, 4});
  SafetensorsBuilder a, b;
  a.Add("fc.weight", "F32", {2, 2}, same).Add("fc.bias", "F32", {4}, same).Add("gone.w", "F32", {4}, same);
  a.Add("reshaped", "F32", {4}, same).Add("retyped", "F32", {2}, Bytes(std::vector<float>{1, 2}));
  b.Add("fc.weight", "F32", {2, 2}, moved).Add("fc.bias", "F32", {4}, same).Add("new.w", "F32", {4}, same);
  b.Add("reshaped", "F32", {2, 2}, same).Add("retyped", "F64", {2}, Bytes(std::vector<double>{1, 2}));
  auto ca = Write(dir, "a.safetensors", a);
  auto cb = Write(dir, "b.safetensors", b);
  auto d = DiffCheckpoints(*ca, *cb);
  ASSERT_TRUE(d.ok()) << d.status().message();

  const TensorDiff& w = Find(*d, "fc.weight");
  EXPECT_EQ(w.change, TensorChange::kChanged);
  ASSERT_TRUE(w.stats);
  EXPECT_EQ(w.stats->differ, 1u);
  EXPECT_DOUBLE_EQ(w.stats->l2(), 0.5);
  EXPECT_DOUBLE_EQ(w.stats->rel(), 0.5 / std::sqrt(30.0));
  EXPECT_TRUE(w.Differs());
  EXPECT_EQ(Find(*d, "fc.bias").change, TensorChange::kIdentical);
  EXPECT_FALSE(Find(*d, "fc.bias").Differs());
  EXPECT_EQ(Find(*d, "gone.w").change, TensorChange::kRemoved);
  EXPECT_EQ(Find(*d, "new.w").change, TensorChange::kAdded);
  EXPECT_EQ(Find(*d, "reshaped").change, TensorChange::kShapeChanged);
  EXPECT_FALSE(Find(*d, "reshaped").stats);
  const TensorDiff& retyped = Find(*d, "retyped");
  EXPECT_EQ(retyped.change, TensorChange::kDTypeChanged);
  ASSERT_TRUE(retyped.stats);  // same values in another dtype: compared, and equal
  EXPECT_EQ(retyped.stats->differ, 0u);

  EXPECT_EQ(d->summary.changed, 1u);
  EXPECT_EQ(d->summary.identical, 1u);
  EXPECT_EQ(d->summary.added_modules, std::vector<std::string>{"new"});
  EXPECT_EQ(d->summary.removed_modules, std::vector<std::string>{"gone"});
  EXPECT_TRUE(d->Differs());
  // A's order, then B's new tensors.
  EXPECT_EQ(d->tensors.back().name, "new.w");
}

TEST(CheckpointDiffTest, ToleranceDecidesWhetherAChangeDiffers) {
  testutil::TempDir dir;
  SafetensorsBuilder a, b;
  a.Add("w", "F32", {2}, Bytes(std::vector<float>{1000, 1}));
  b.Add("w", "F32", {2}, Bytes(std::vector<float>{1000.001f, 1}));
  auto ca = Write(dir, "a.safetensors", a);
  auto cb = Write(dir, "b.safetensors", b);
  auto tight = DiffCheckpoints(*ca, *cb);
  ASSERT_TRUE(tight.ok());
  EXPECT_FALSE(tight->Differs());  // within the default rtol 1e-5
  DiffOptions strict;
  strict.tolerance = {0, 0};
  auto exact = DiffCheckpoints(*ca, *cb, strict);
  ASSERT_TRUE(exact.ok());
  EXPECT_TRUE(exact->Differs());
  EXPECT_EQ(exact->tensors[0].change, TensorChange::kChanged);
}

TEST(CheckpointDiffTest, SplittingALargeTensorGivesTheSameStatistics) {
  testutil::TempDir dir;
  std::vector<float> va(100'003), vb(100'003);
  for (size_t i = 0; i < va.size(); ++i) {
    va[i] = static_cast<float>(std::sin(0.001 * i));
    vb[i] = va[i] + (i % 13 == 0 ? 0.01f : 0.0f);
  }
  SafetensorsBuilder a, b;
  a.Add("big", "F32", {100'003}, Bytes(va));
  b.Add("big", "F32", {100'003}, Bytes(vb));
  auto ca = Write(dir, "a.safetensors", a);
  auto cb = Write(dir, "b.safetensors", b);
  DiffOptions whole;
  whole.split_bytes = uint64_t{1} << 40;
  DiffOptions split;
  split.split_bytes = 1024;
  split.piece_bytes = 4000;
  auto dw = DiffCheckpoints(*ca, *cb, whole);
  auto ds = DiffCheckpoints(*ca, *cb, split);
  ASSERT_TRUE(dw.ok() && ds.ok());
  const DiffStats& w = *dw->tensors[0].stats;
  const DiffStats& s = *ds->tensors[0].stats;
  EXPECT_EQ(s.numel, 100'003u);
  EXPECT_EQ(s.differ, w.differ);
  EXPECT_EQ(s.differ, 7693u);  // i % 13 == 0 for i < 100003
  EXPECT_NEAR(s.sq_diff, w.sq_diff, 1e-12 * w.sq_diff);
  EXPECT_NEAR(s.dot, w.dot, 1e-12 * std::fabs(w.dot));
  EXPECT_DOUBLE_EQ(s.max_abs, w.max_abs);
  EXPECT_EQ(ds->tensors[0].change, TensorChange::kChanged);
}

TEST(CheckpointDiffTest, HalfPrecisionValuesAreDecodedExactly) {
  testutil::TempDir dir;
  // bfloat16 1.0 = 0x3f80, 1.0078125 = 0x3f81; float16 1.0 = 0x3c00, 1.0009765625 = 0x3c01.
  SafetensorsBuilder a, b;
  a.Add("bf", "BF16", {1}, Bytes(std::vector<uint16_t>{0x3f80})).Add("h", "F16", {1}, Bytes(std::vector<uint16_t>{0x3c00}));
  b.Add("bf", "BF16", {1}, Bytes(std::vector<uint16_t>{0x3f81})).Add("h", "F16", {1}, Bytes(std::vector<uint16_t>{0x3c01}));
  auto ca = Write(dir, "a.safetensors", a);
  auto cb = Write(dir, "b.safetensors", b);
  auto d = DiffCheckpoints(*ca, *cb);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(Find(*d, "bf").stats->max_abs, 0.0078125);
  EXPECT_EQ(Find(*d, "h").stats->max_abs, 0.0009765625);
}

TEST(CheckpointDiffTest, IntegerAndBoolTensorsCountDifferingElements) {
  testutil::TempDir dir;
  SafetensorsBuilder a, b;
  a.Add("steps", "I64", {3}, Bytes(std::vector<int64_t>{1, 2, 3})).Add("mask", "BOOL", {4}, Bytes(std::vector<uint8_t>{1, 0, 1, 0}));
  b.Add("steps", "I64", {3}, Bytes(std::vector<int64_t>{1, 5, 3})).Add("mask", "BOOL", {4}, Bytes(std::vector<uint8_t>{1, 1, 0, 0}));
  auto ca = Write(dir, "a.safetensors", a);
  auto cb = Write(dir, "b.safetensors", b);
  auto d = DiffCheckpoints(*ca, *cb);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(Find(*d, "steps").stats->differ, 1u);
  EXPECT_EQ(Find(*d, "steps").stats->max_abs, 3);
  EXPECT_EQ(Find(*d, "mask").stats->differ, 2u);
}

}  // namespace
}  // namespace gitmodel

namespace gitmodel {
namespace {

TEST(CheckpointDiffTest, NaNInBothSidesAtTheSamePlaceIsIdentical) {
  testutil::TempDir dir;
  const float nan = std::numeric_limits<float>::quiet_NaN();
  SafetensorsBuilder a;
  a.Add("w", "F32", {3}, Bytes(std::vector<float>{1, nan, 3})).Add("h", "BF16", {2}, Bytes(std::vector<uint16_t>{0x7fc0, 0x3f80}));
  auto ca = Write(dir, "a.safetensors", a);
  auto cb = Write(dir, "b.safetensors", a);
  auto d = DiffCheckpoints(*ca, *cb);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(Find(*d, "w").change, TensorChange::kIdentical);
  EXPECT_EQ(Find(*d, "w").stats->differ, 1u);  // as torch's a != b counts it
  EXPECT_EQ(Find(*d, "h").change, TensorChange::kIdentical);
  EXPECT_TRUE(std::isnan(Find(*d, "w").stats->max_abs));
}

}  // namespace
}  // namespace gitmodel

namespace gitmodel {
namespace {

TEST(CheckpointDiffTest, SafetensorsMetadataIsContentButItsRecordIsNot) {
  testutil::TempDir dir;
  const auto w = Bytes(std::vector<float>{0, 1, 2, 3});
  SafetensorsBuilder a, b;
  a.Metadata("format", "pt").Metadata("step", "100").Metadata("git-model.provenance", "{\"x\":1}").Add("w", "F32", {4}, w);
  b.Metadata("format", "pt").Metadata("step", "200").Metadata("git-model.provenance", "{\"x\":2}").Add("w", "F32", {4}, w);
  auto ca = Write(dir, "a.safetensors", a);
  auto cb = Write(dir, "b.safetensors", b);
  auto d = DiffCheckpoints(*ca, *cb);
  ASSERT_TRUE(d.ok());
  ASSERT_EQ(d->content.size(), 1u);
  EXPECT_EQ(d->content[0].path, "__metadata__.step");
  EXPECT_EQ(*d->content[0].a, "100");
  EXPECT_EQ(*d->content[0].b, "200");
  EXPECT_TRUE(d->Differs());
}

TEST(CheckpointDiffTest, LargeIntegersDifferExactly) {
  testutil::TempDir dir;
  const int64_t big = int64_t{1} << 60;
  SafetensorsBuilder a, b;
  a.Add("x", "I64", {2}, Bytes(std::vector<int64_t>{big, 5}));
  b.Add("x", "I64", {2}, Bytes(std::vector<int64_t>{big + 1, 5}));
  auto ca = Write(dir, "a.safetensors", a);
  auto cb = Write(dir, "b.safetensors", b);
  auto d = DiffCheckpoints(*ca, *cb);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->tensors[0].change, TensorChange::kChanged);
  EXPECT_EQ(d->tensors[0].stats->differ, 1u);  // torch's (a != b).sum()
}

TEST(CheckpointDiffTest, IdenticalPiecesGiveTheSameStatisticsAsTheFullKernel) {
  testutil::TempDir dir;
  const float inf = std::numeric_limits<float>::infinity();
  std::vector<float> v(1000);
  for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<float>(std::cos(0.1 * i));
  std::vector<float> with_inf = v;
  with_inf[7] = inf;
  SafetensorsBuilder a;
  a.Add("w", "F32", {1000}, Bytes(v)).Add("h", "F16", {3}, Bytes(std::vector<uint16_t>{0x3c00, 0x4000, 0x7e00}));
  a.Add("i", "F32", {1000}, Bytes(with_inf));
  auto ca = Write(dir, "a.safetensors", a);
  auto cb = Write(dir, "b.safetensors", a);
  auto d = DiffCheckpoints(*ca, *cb);
  ASSERT_TRUE(d.ok());
  const DiffStats& w = *Find(*d, "w").stats;
  double sq = 0;
  for (float x : v) sq += double{x} * double{x};
  EXPECT_EQ(Find(*d, "w").change, TensorChange::kIdentical);
  EXPECT_EQ(w.numel, 1000u);
  EXPECT_EQ(w.differ, 0u);
  EXPECT_EQ(w.sq_diff, 0);
  EXPECT_NEAR(w.sq_a, sq, 1e-12 * sq);
  EXPECT_EQ(w.sq_a, w.sq_b);
  EXPECT_EQ(w.dot, w.sq_a);
  EXPECT_DOUBLE_EQ(w.cosine(), 1);
  const DiffStats& h = *Find(*d, "h").stats;  // 1, 2, NaN
  EXPECT_EQ(h.differ, 1u);
  EXPECT_EQ(h.not_close, 1u);
  EXPECT_TRUE(std::isnan(h.max_abs));
  const DiffStats& i = *Find(*d, "i").stats;  // inf - inf is NaN, but inf == inf
  EXPECT_EQ(i.differ, 0u);
  EXPECT_EQ(i.not_close, 0u);
  EXPECT_TRUE(std::isnan(i.l2()));
}

}  // namespace
}  // namespace gitmodel
