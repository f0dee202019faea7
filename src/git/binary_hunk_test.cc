#include "git/binary_hunk.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <random>
#include <sstream>
#include <string>

namespace gitmodel {
namespace {

constexpr std::string_view kAlphabet =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~";

// git's decode of base85 lines (base85.c / apply.c), checking every line's shape.
std::vector<std::byte> DecodeLines(const std::string& text) {
  std::vector<std::byte> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    EXPECT_FALSE(line.empty());
    char c = line[0];
    size_t n = c >= 'A' && c <= 'Z' ? c - 'A' + 1 : c - 'a' + 27;
    EXPECT_EQ(line.size(), 1 + (n + 3) / 4 * 5) << line;
    for (size_t i = 1, left = n; i + 5 <= line.size(); i += 5) {
      uint64_t acc = 0;
      for (size_t k = 0; k < 5; ++k) acc = acc * 85 + kAlphabet.find(line[i + k]);
      for (int k = 3; k >= 0 && left > 0; --k, --left) out.push_back(static_cast<std::byte>(acc >> (8 * k)));
    }
  }
  return out;
}

std::vector<std::byte> Inflate(const std::vector<std::byte>& z, size_t size) {
  std::vector<std::byte> out(size + 1);
  uLongf length = out.size();
  EXPECT_EQ(uncompress(reinterpret_cast<Bytef*>(out.data()), &length, reinterpret_cast<const Bytef*>(z.data()),
                       z.size()),
            Z_OK);
  out.resize(length);
  return out;
}

// Random bytes, then text, then repetitive text, then zeros: every compression method in use.
std::vector<std::byte> MixedBytes(size_t size) {
  std::vector<std::byte> data(size);
  std::mt19937 rng(7);
  for (size_t i = 0; i < size; ++i) {
    size_t quarter = i * 4 / size;
    unsigned v = quarter == 0 ? rng() : quarter == 1 ? "0123456789abcdef"[rng() % 16] : quarter == 2 ? "hello "[i % 6] : 0;
    data[i] = static_cast<std::byte>(v);
  }
  return data;
}

TEST(GitBinaryHunk, Base85LinesAreGitsFormat) {
  std::string out;
  AppendBase85Lines({}, out);
  EXPECT_EQ(out, "");
  std::vector<std::byte> bytes(105);
  for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<std::byte>(i * 37);
  AppendBase85Lines(bytes, out);
  EXPECT_EQ(out.substr(0, 1), "z");       // 52 bytes
  EXPECT_EQ(out.substr(67, 1), "z");      // 52 more
  EXPECT_EQ(out.substr(134, 1), "A");     // the last byte
  EXPECT_EQ(out.size(), 67u + 67u + 7u);
  EXPECT_EQ(DecodeLines(out), bytes);
}

TEST(GitBinaryHunk, CompressedStreamInflatesToTheInput) {
  for (size_t size : {size_t{0}, size_t{1}, size_t{52}, size_t{100000}, size_t{13} << 20}) {
    std::vector<std::byte> data = MixedBytes(size);
    std::vector<std::byte> z = ZlibCompress(data);
    EXPECT_EQ(Inflate(z, size), data) << size;
    std::string hunk;
    AppendBinaryHunk("literal", data, hunk);
    std::string header = "literal " + std::to_string(size) + "\n";
    ASSERT_EQ(hunk.substr(0, header.size()), header);
    ASSERT_EQ(hunk.substr(hunk.size() - 2), "\n\n");
    EXPECT_EQ(Inflate(DecodeLines(hunk.substr(header.size(), hunk.size() - header.size() - 1)), size), data);
  }
}

TEST(GitBinaryHunk, CompressibleDataShrinks) {
  std::vector<std::byte> zeros(8 << 20);
  EXPECT_LT(ZlibCompress(zeros).size(), zeros.size() / 100);
  std::vector<std::byte> digits(8 << 20);
  std::mt19937 rng(1);
  for (auto& b : digits) b = static_cast<std::byte>('0' + rng() % 10);
  EXPECT_LT(ZlibCompress(digits).size(), digits.size() / 2);
}

}  // namespace
}  // namespace gitmodel
