#include "provenance/fingerprint.h"

#include <gtest/gtest.h>

#include "tensors/testing/tensor_views.h"

namespace gitmodel {
namespace {

using testutil::BytesOf;
using testutil::View;

// The test vector of docs/formats.md: "b" float32 [2] = [1, 2] and "a" int64 [] = 7.
TEST(WeightsFingerprint, MatchesTheDocumentedTestVector) {
  auto b = BytesOf(std::vector<float>{1.0f, 2.0f});
  auto a = BytesOf(std::vector<int64_t>{7});
  std::vector<TensorRef> tensors = {View(DType::kFloat32, {2}, {1}, b), View(DType::kInt64, {}, {}, a)};
  tensors[0].name = "b";
  tensors[1].name = "a";
  std::vector<Digest> digests = {Sha256Of(b), Sha256Of(a)};
  auto fp = FingerprintFromDigests(tensors, digests);
  ASSERT_TRUE(fp.ok());
  EXPECT_EQ(ToHex(*fp), "3007d93f5e644971b14aab1f161788cb702ab3f2a5a6d8cfb593fa0299130fb4");

  // Order of the tensors in the file does not matter; names, dtypes, shapes and bytes do.
  std::swap(tensors[0], tensors[1]);
  std::swap(digests[0], digests[1]);
  EXPECT_EQ(ToHex(*FingerprintFromDigests(tensors, digests)), ToHex(*fp));
  tensors[0].shape = {1};
  tensors[0].strides = {1};
  EXPECT_NE(ToHex(*FingerprintFromDigests(tensors, digests)), ToHex(*fp));
}

TEST(WeightsFingerprint, DuplicateNamesAreAnError) {
  auto a = BytesOf(std::vector<int64_t>{7});
  std::vector<TensorRef> tensors = {View(DType::kInt64, {}, {}, a), View(DType::kInt64, {}, {}, a)};
  tensors[0].name = tensors[1].name = "x";
  auto fp = FingerprintFromDigests(tensors, {Sha256Of(a), Sha256Of(a)});
  ASSERT_FALSE(fp.ok());
  EXPECT_NE(fp.status().message().find("two tensors are named 'x'"), std::string::npos);
}

}  // namespace
}  // namespace gitmodel
