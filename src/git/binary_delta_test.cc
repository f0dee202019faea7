#include "git/binary_delta.h"

#include <gtest/gtest.h>

#include <random>

namespace gitmodel {
namespace {

uint64_t Varint(const std::vector<std::byte>& d, size_t& at) {
  uint64_t v = 0;
  for (int shift = 0;; shift += 7) {
    uint8_t b = static_cast<uint8_t>(d.at(at++));
    v |= uint64_t{b & 0x7fu} << shift;
    if (!(b & 0x80)) return v;
  }
}

// git's patch_delta(), with every bound checked.
std::vector<std::byte> ApplyDelta(const std::vector<std::byte>& src, const std::vector<std::byte>& delta) {
  size_t at = 0;
  EXPECT_EQ(Varint(delta, at), src.size());
  size_t size = Varint(delta, at);
  std::vector<std::byte> out;
  while (at < delta.size()) {
    uint8_t cmd = static_cast<uint8_t>(delta[at++]);
    if (cmd & 0x80) {
      uint32_t offset = 0, length = 0;
      for (int i = 0; i < 4; ++i) {
        if (cmd & (1 << i)) offset |= static_cast<uint32_t>(delta.at(at++)) << (8 * i);
      }
      for (int i = 0; i < 3; ++i) {
        if (cmd & (0x10 << i)) length |= static_cast<uint32_t>(delta.at(at++)) << (8 * i);
      }
      if (length == 0) length = 0x10000;
      EXPECT_LE(uint64_t{offset} + length, src.size());
      out.insert(out.end(), src.begin() + offset, src.begin() + offset + length);
    } else {
      EXPECT_NE(cmd, 0);
      EXPECT_LE(at + cmd, delta.size());
      out.insert(out.end(), delta.begin() + at, delta.begin() + at + cmd);
      at += cmd;
    }
  }
  EXPECT_EQ(out.size(), size);
  return out;
}

std::vector<std::byte> RandomBytes(size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::vector<std::byte> v(n);
  for (auto& b : v) b = static_cast<std::byte>(rng());
  return v;
}

TEST(GitBinaryDelta, InPlaceEditsAppendsAndInsertsRoundTrip) {
  std::vector<std::byte> base = RandomBytes(20 << 20, 1);  // copies longer than one command (16 MiB)
  std::vector<std::vector<std::byte>> versions;
  versions.push_back(base);
  auto edited = base;
  for (size_t at : {size_t{0}, size_t{1000}, size_t{5} << 20, edited.size() - 1}) edited[at] ^= std::byte{1};
  versions.push_back(edited);
  auto appended = base;
  appended.insert(appended.end(), 1000, std::byte{7});
  versions.push_back(appended);
  auto inserted = base;
  inserted.insert(inserted.begin() + 12345, 300, std::byte{9});
  versions.push_back(inserted);
  versions.push_back(std::vector<std::byte>(base.begin(), base.end() - 777));  // truncated
  for (size_t i = 0; i < versions.size(); ++i) {
    auto delta = SameOffsetDelta(base, versions[i]);
    ASSERT_TRUE(delta.has_value()) << i;
    EXPECT_LT(delta->size(), 4096u) << i;
    EXPECT_TRUE(ApplyDelta(base, *delta) == versions[i]) << i;
    auto back = SameOffsetDelta(versions[i], base);
    ASSERT_TRUE(back.has_value()) << i;
    EXPECT_TRUE(ApplyDelta(versions[i], *back) == base) << i;
  }
}

TEST(GitBinaryDelta, SmallAndUnrelatedContent) {
  auto a = RandomBytes(100000, 1), b = RandomBytes(100000, 2);
  EXPECT_FALSE(SameOffsetDelta(a, b).has_value());  // a literal is as good
  EXPECT_FALSE(SameOffsetDelta({}, b).has_value());
  auto tiny = RandomBytes(3, 3);
  EXPECT_FALSE(SameOffsetDelta(tiny, tiny).has_value());  // 3 bytes: the delta is not under half
  auto shifted = a;
  shifted.erase(shifted.begin());  // same-offset matching cannot see a shift in the middle...
  shifted.push_back(std::byte{0});
  EXPECT_FALSE(SameOffsetDelta(a, shifted).has_value());
}

}  // namespace
}  // namespace gitmodel
