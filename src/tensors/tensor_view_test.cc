#include "tensors/tensor_view.h"

#include <gtest/gtest.h>

#include "tensors/testing/tensor_views.h"

#include <limits>
#include <vector>

namespace gitmodel {
namespace {

constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();

TensorRef View(DType dtype, std::vector<int64_t> shape, std::vector<int64_t> strides,
               std::span<const std::byte> storage, int64_t offset = 0) {
  return testutil::View(dtype, std::move(shape), std::move(strides), storage, offset, "data/7");
}

TEST(TensorViewTest, NumelAndNbytes) {
  std::vector<std::byte> none;
  EXPECT_EQ(View(DType::kFloat32, {}, {}, none).numel(), 1u);
  EXPECT_EQ(View(DType::kFloat32, {2, 3}, {3, 1}, none).numel(), 6u);
  EXPECT_EQ(View(DType::kFloat32, {2, 3}, {3, 1}, none).nbytes(), 24u);
  EXPECT_EQ(View(DType::kFloat4_e2m1fn, {3}, {1}, none).nbytes(), 2u);
  EXPECT_EQ(View(DType::kFloat32, {0, 5}, {5, 1}, none).numel(), 0u);
  EXPECT_EQ(View(DType::kFloat32, {-1, 5}, {5, 1}, none).numel(), kMax);
  EXPECT_EQ(View(DType::kFloat32, {1LL << 40, 1LL << 40}, {0, 0}, none).numel(), kMax);
  EXPECT_EQ(View(DType::kFloat32, {1LL << 40, 1LL << 40, 0}, {0, 0, 0}, none).numel(), 0u);
  EXPECT_EQ(View(DType::kFloat32, {1LL << 62}, {1}, none).nbytes(), kMax);
}

TEST(TensorViewTest, IsContiguous) {
  std::vector<std::byte> none;
  EXPECT_TRUE(View(DType::kFloat32, {}, {}, none).is_contiguous());
  EXPECT_TRUE(View(DType::kFloat32, {2, 3}, {3, 1}, none).is_contiguous());
  EXPECT_FALSE(View(DType::kFloat32, {3, 2}, {1, 3}, none).is_contiguous());  // transposed
  EXPECT_FALSE(View(DType::kFloat32, {2, 3}, {4, 1}, none).is_contiguous());  // padded rows
  EXPECT_TRUE(View(DType::kFloat32, {1, 3, 1}, {99, 1, 42}, none).is_contiguous());
  EXPECT_TRUE(View(DType::kFloat32, {0, 3}, {7, 7}, none).is_contiguous());
  EXPECT_FALSE(View(DType::kFloat32, {2, 3}, {1}, none).is_contiguous());
  EXPECT_FALSE(View(DType::kFloat32, {4}, {0}, none).is_contiguous());  // expanded
}

TEST(TensorViewTest, ViewBytesSpansFirstToLastElement) {
  std::vector<std::byte> storage(64);
  // 2x2 float32 rows of stride 4 from element 1: elements 1, 2, 5, 6 -> bytes [4, 28).
  auto bytes = View(DType::kFloat32, {2, 2}, {4, 1}, storage, 1).view_bytes();
  EXPECT_EQ(bytes.data(), storage.data() + 4);
  EXPECT_EQ(bytes.size(), 24u);
  EXPECT_TRUE(View(DType::kFloat32, {0, 2}, {2, 1}, storage, 1).view_bytes().empty());
  EXPECT_TRUE(View(DType::kFloat32, {17}, {1}, storage).view_bytes().empty());  // out of bounds
  // float4 elements 3..5 live in bytes 1 (high nibble) and 2.
  auto nibbles = View(DType::kFloat4_e2m1fn, {3}, {1}, storage, 3).view_bytes();
  EXPECT_EQ(nibbles.data(), storage.data() + 1);
  EXPECT_EQ(nibbles.size(), 2u);
}

TEST(TensorViewTest, BoundsErrorNamesStorageAndSizes) {
  std::vector<std::byte> storage(96);
  Status s = CheckViewBounds(View(DType::kFloat32, {32}, {1}, storage));
  EXPECT_EQ(s.code(), Code::kCorrupt);
  EXPECT_EQ(s.message(), "tensor needs 128 bytes of storage data/7, which has 96");
  EXPECT_TRUE(CheckViewBounds(View(DType::kFloat32, {24}, {1}, storage)).ok());
  // Transposed 4x6 of a 6x4 matrix touches exactly the last element.
  EXPECT_TRUE(CheckViewBounds(View(DType::kFloat32, {4, 6}, {1, 4}, storage)).ok());
  EXPECT_EQ(CheckViewBounds(View(DType::kFloat32, {4, 6}, {1, 4}, storage, 1)).message(),
            "tensor needs 100 bytes of storage data/7, which has 96");
}

TEST(TensorViewTest, BoundsRejectsMalformedViews) {
  std::vector<std::byte> storage(96);
  EXPECT_EQ(CheckViewBounds(View(DType::kFloat32, {2, 2}, {2}, storage)).message(),
            "tensor has 1 strides for 2 dimensions");
  EXPECT_EQ(CheckViewBounds(View(DType::kFloat32, {2}, {-1}, storage, 1)).message(),
            "tensor has negative stride -1 in dimension 0");
  EXPECT_EQ(CheckViewBounds(View(DType::kFloat32, {-2}, {1}, storage)).message(),
            "tensor has negative size -2 in dimension 0");
  EXPECT_EQ(CheckViewBounds(View(DType::kFloat32, {2}, {1}, storage, -1)).message(),
            "tensor has negative storage offset -1");
  EXPECT_EQ(CheckViewBounds(View(DType::kFloat32, {1LL << 40, 1LL << 40}, {0, 0}, storage)).message(),
            "tensor element count overflows");
  EXPECT_EQ(CheckViewBounds(View(DType::kFloat32, {3}, {1LL << 62}, storage)).message(),
            "tensor view of storage data/7 overflows 64-bit offsets");
  EXPECT_EQ(CheckViewBounds(View(DType::kFloat64, {2}, {1}, storage, (1LL << 62))).code(),
            Code::kCorrupt);
}

TEST(TensorViewTest, BoundsAcceptsEmptyAndMetaTensors) {
  std::vector<std::byte> storage(8);
  EXPECT_TRUE(CheckViewBounds(View(DType::kFloat32, {0, 4}, {4, 1}, storage, 1000)).ok());
  TensorRef meta = View(DType::kFloat32, {1000}, {1}, {});
  meta.has_storage = false;
  EXPECT_TRUE(CheckViewBounds(meta).ok());
  EXPECT_TRUE(meta.view_bytes().empty());
  // Expanded (stride 0) views need one element whatever their size.
  EXPECT_TRUE(CheckViewBounds(View(DType::kFloat64, {1000, 1000}, {0, 0}, storage)).ok());
}

}  // namespace
}  // namespace gitmodel
