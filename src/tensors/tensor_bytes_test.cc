#include "tensors/tensor_bytes.h"

#include <gtest/gtest.h>

#include "tensors/testing/tensor_views.h"

#include <cstring>
#include <string>
#include <vector>

namespace gitmodel {
namespace {

using testutil::BytesOf;
using testutil::View;
using testutil::Hex;


struct Collected {
  std::vector<std::byte> bytes;
  std::vector<size_t> chunk_sizes;
  std::vector<const std::byte*> chunk_data;
};

Collected Collect(const TensorRef& t, size_t chunk_bytes = kDefaultChunkBytes) {
  Collected c;
  Status s = ForEachContiguousChunk(t, [&](std::span<const std::byte> chunk) {
    c.bytes.insert(c.bytes.end(), chunk.begin(), chunk.end());
    c.chunk_sizes.push_back(chunk.size());
    c.chunk_data.push_back(chunk.data());
  }, chunk_bytes);
  EXPECT_TRUE(s.ok()) << s.message();
  return c;
}

TEST(TensorBytesTest, ContiguousViewIsZeroCopyInWholeElementChunks) {
  auto storage = BytesOf<float>({0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
  Collected c = Collect(View(DType::kFloat32, {10}, {1}, storage, 1), 14);
  EXPECT_EQ(c.chunk_sizes, (std::vector<size_t>{12, 12, 12, 4}));
  EXPECT_EQ(c.chunk_data[0], storage.data() + 4);
  EXPECT_EQ(c.chunk_data[1], storage.data() + 16);
  EXPECT_EQ(c.bytes, std::vector<std::byte>(storage.begin() + 4, storage.begin() + 44));
  // A chunk smaller than one element still delivers whole elements.
  EXPECT_EQ(Collect(View(DType::kFloat64, {2}, {1}, storage), 3).chunk_sizes,
            (std::vector<size_t>{8, 8}));
}

TEST(TensorBytesTest, TransposedInt32GathersRowMajor) {
  // Storage holds the 3x2 matrix [[0,1],[2,3],[4,5]]; its transpose is [[0,2,4],[1,3,5]].
  auto storage = BytesOf<int32_t>({0, 1, 2, 3, 4, 5});
  Collected c = Collect(View(DType::kInt32, {2, 3}, {1, 2}, storage));
  EXPECT_EQ(c.bytes, BytesOf<int32_t>({0, 2, 4, 1, 3, 5}));
  // Small chunks split the gather into pieces of two elements.
  c = Collect(View(DType::kInt32, {2, 3}, {1, 2}, storage), 8);
  EXPECT_EQ(c.chunk_sizes, (std::vector<size_t>{8, 8, 8}));
  EXPECT_EQ(c.bytes, BytesOf<int32_t>({0, 2, 4, 1, 3, 5}));
}

TEST(TensorBytesTest, StridedSlicesWithOffsetAndExpandedDims) {
  auto storage = BytesOf<int16_t>({0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
  // Rows 1..2, columns 0 and 2 of a 3x4 matrix: [[4,6],[8,10]].
  EXPECT_EQ(Collect(View(DType::kInt16, {2, 2}, {4, 2}, storage, 4)).bytes,
            BytesOf<int16_t>({4, 6, 8, 10}));
  // Column 1 broadcast to 3 columns: [[1,1,1],[5,5,5],[9,9,9]].
  EXPECT_EQ(Collect(View(DType::kInt16, {3, 3}, {4, 0}, storage, 1)).bytes,
            BytesOf<int16_t>({1, 1, 1, 5, 5, 5, 9, 9, 9}));
  // Padded rows: inner runs are contiguous but rows are not.
  EXPECT_EQ(Collect(View(DType::kInt16, {2, 1, 3}, {6, 99, 1}, storage, 1), 4).bytes,
            BytesOf<int16_t>({1, 2, 3, 7, 8, 9}));
  // A scalar.
  EXPECT_EQ(Collect(View(DType::kInt16, {}, {}, storage, 11)).bytes, BytesOf<int16_t>({11}));
}

TEST(TensorBytesTest, BigEndianStorageIsSwappedPerElement) {
  auto storage = Hex({0x00, 0x00, 0x01, 0x02, 0x0A, 0x0B, 0x0C, 0x0D});
  TensorRef t = View(DType::kInt32, {2}, {1}, storage);
  t.big_endian = true;
  EXPECT_EQ(Collect(t).bytes, Hex({0x02, 0x01, 0x00, 0x00, 0x0D, 0x0C, 0x0B, 0x0A}));
  t.strides = {0};  // non-contiguous too
  EXPECT_EQ(Collect(t).bytes, Hex({0x02, 0x01, 0x00, 0x00, 0x02, 0x01, 0x00, 0x00}));
  t.dtype = DType::kInt16;
  t.shape = {1};
  t.strides = {1};
  t.storage_offset = 3;
  EXPECT_EQ(Collect(t).bytes, Hex({0x0D, 0x0C}));
  // Single bytes have no order: bool and int8 stay zero-copy.
  t.dtype = DType::kInt8;
  t.shape = {3};
  t.storage_offset = 1;
  Collected c = Collect(t);
  EXPECT_EQ(c.chunk_data[0], storage.data() + 1);
  EXPECT_EQ(c.bytes, Hex({0x00, 0x01, 0x02}));
}

TEST(TensorBytesTest, BigEndianComplexSwapsEachHalf) {
  // complex64 1+2i stored big-endian: float 1.0 = 3F800000, 2.0 = 40000000.
  auto storage = Hex({0x3F, 0x80, 0x00, 0x00, 0x40, 0x00, 0x00, 0x00});
  TensorRef t = View(DType::kComplex64, {1}, {1}, storage);
  t.big_endian = true;
  EXPECT_EQ(Collect(t).bytes, BytesOf<float>({1.0f, 2.0f}));
  t.dtype = DType::kComplex32;  // two halves: 3F80 0000 and 4000 0000
  t.shape = {2};
  EXPECT_EQ(Collect(t).bytes, Hex({0x80, 0x3F, 0x00, 0x00, 0x00, 0x40, 0x00, 0x00}));
}

TEST(TensorBytesTest, SubByteTypesOnlyContiguousFromByteBoundary) {
  auto storage = Hex({0x21, 0x43, 0x65, 0x87, 0xA9, 0xCB});
  // 8 float6 values = 6 bytes; groups of 4 values (3 bytes) keep chunks byte-aligned.
  Collected c = Collect(View(DType::kFloat6_e2m3, {2, 4}, {4, 1}, storage), 5);
  EXPECT_EQ(c.chunk_sizes, (std::vector<size_t>{3, 3}));
  EXPECT_EQ(c.bytes, storage);
  // Three float4 values from element 2: bytes 1 and 2, the last half used.
  EXPECT_EQ(Collect(View(DType::kFloat4_e2m1fn, {3}, {1}, storage, 2)).bytes, Hex({0x43, 0x65}));
  auto odd = ForEachContiguousChunk(View(DType::kFloat4_e2m1fn, {2}, {1}, storage, 1),
                                    [](std::span<const std::byte>) {});
  EXPECT_EQ(odd.code(), Code::kUnsupported);
  EXPECT_EQ(odd.message(),
            "float4_e2m1fn tensor in storage data/0 is not contiguous from a byte boundary");
  auto strided = ForEachContiguousChunk(View(DType::kQUInt4x2, {2}, {2}, storage),
                                        [](std::span<const std::byte>) {});
  EXPECT_EQ(strided.code(), Code::kUnsupported);
}

TEST(TensorBytesTest, ErrorsCallNoSink) {
  auto storage = BytesOf<float>({1, 2, 3});
  int calls = 0;
  auto count = [&](std::span<const std::byte>) { ++calls; };
  Status s = ForEachContiguousChunk(View(DType::kFloat32, {2, 2}, {2, 1}, storage), count);
  EXPECT_EQ(s.message(), "tensor needs 16 bytes of storage data/0, which has 12");
  TensorRef meta = View(DType::kFloat32, {3}, {1}, {});
  meta.has_storage = false;
  EXPECT_EQ(ForEachContiguousChunk(meta, count).message(), "meta tensor has no data");
  EXPECT_EQ(calls, 0);
  EXPECT_TRUE(ForEachContiguousChunk(View(DType::kFloat32, {0}, {1}, storage), count).ok());
  EXPECT_EQ(calls, 0);
}

TEST(TensorBytesTest, Sha256OfLogicalBytes) {
  const std::string text = "a-b-c";
  std::span<const std::byte> storage(reinterpret_cast<const std::byte*>(text.data()), text.size());
  // Every other byte: "abc", whose SHA-256 is the FIPS 180-2 example.
  auto digest = TensorSha256(View(DType::kUInt8, {3}, {2}, storage));
  ASSERT_TRUE(digest.ok());
  EXPECT_EQ(ToHex(*digest), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // The same logical bytes stored contiguously hash the same.
  const std::string abc = "abc";
  auto contiguous = TensorSha256(View(
      DType::kUInt8, {3}, {1}, std::as_bytes(std::span(abc.data(), abc.size()))));
  EXPECT_EQ(ToHex(*contiguous), ToHex(*digest));
  auto empty = TensorSha256(View(DType::kUInt8, {0}, {1}, storage));
  EXPECT_EQ(ToHex(*empty), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  TensorRef meta = View(DType::kUInt8, {3}, {1}, {});
  meta.has_storage = false;
  EXPECT_EQ(TensorSha256(meta).status().message(), "meta tensor has no data");
}

TEST(TensorBytesTest, Sha256IgnoresByteOrderAndLayout) {
  auto little = BytesOf<int32_t>({0, 1, 2, 3, 4, 5});
  std::vector<std::byte> big(little.size());
  for (size_t i = 0; i < little.size(); ++i) big[i] = little[i / 4 * 4 + 3 - i % 4];
  TensorRef a = View(DType::kInt32, {3, 2}, {2, 1}, little);
  TensorRef b = View(DType::kInt32, {3, 2}, {2, 1}, big);
  b.big_endian = true;
  EXPECT_EQ(ToHex(*TensorSha256(a)), ToHex(*TensorSha256(b)));
  EXPECT_EQ(ToHex(*TensorSha256(a)), ToHex(Sha256Of(little)));
}

}  // namespace
}  // namespace gitmodel
