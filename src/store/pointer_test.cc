// Pointers: the one canonical text, round trips, and refusal of every other spelling.
#include "store/pointer.h"

#include <gtest/gtest.h>

namespace gitmodel {
namespace {

constexpr std::string_view kSample =
    "version https://git-model.dev/spec/pointer/v1\n"
    "oid sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n"
    "size 1234567\n"
    "manifest sha256:fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210\n";

Digest FromHex(std::string_view hex) {
  auto id = ParseObjectHex(hex);
  EXPECT_TRUE(id.has_value()) << hex;
  return id.value_or(Digest{});
}

Pointer SamplePointer() {
  return {FromHex("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"), 1234567,
          FromHex("fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210")};
}

// `text` with the first occurrence of `from` replaced by `to`.
std::string Replaced(std::string_view text, std::string_view from, std::string_view to) {
  std::string out(text);
  const size_t at = out.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return out.replace(at, from.size(), to);
}

void ExpectCorrupt(std::string_view text, const std::string& what) {
  auto parsed = ParsePointer(text);
  ASSERT_FALSE(parsed.ok()) << what;
  EXPECT_EQ(parsed.status().code(), Code::kCorrupt) << what;
  EXPECT_EQ(parsed.status().message().find('\n'), std::string::npos) << what << ": " << parsed.status().message();
  EXPECT_NE(parsed.status().message().find("pointer"), std::string::npos) << parsed.status().message();
}

// The example in docs/formats.md ("Pointer"): the file "hello\n" and its manifest (manifest_test.cc).
TEST(Pointer, DocumentedExample) {
  const Pointer hello{FromHex("5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03"), 6,
                      FromHex("362f04ecea866187875bbcc3559d512852dca7c18fa6d29104a8bfe8fb42fc33")};
  EXPECT_EQ(FormatPointer(hello),
            "version https://git-model.dev/spec/pointer/v1\n"
            "oid sha256:5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03\n"
            "size 6\n"
            "manifest sha256:362f04ecea866187875bbcc3559d512852dca7c18fa6d29104a8bfe8fb42fc33\n");
}

TEST(Pointer, FormatsTheCanonicalText) { EXPECT_EQ(FormatPointer(SamplePointer()), kSample); }

TEST(Pointer, ParsesWhatItFormats) {
  auto parsed = ParsePointer(kSample);
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(parsed->file_sha256, SamplePointer().file_sha256);
  EXPECT_EQ(parsed->size, 1234567u);
  EXPECT_EQ(parsed->manifest, SamplePointer().manifest);
}

TEST(Pointer, SizesFromZeroToTheLargestRoundTrip) {
  for (uint64_t size : {uint64_t{0}, uint64_t{1}, uint64_t{10}, uint64_t{INT64_MAX}}) {
    Pointer p = SamplePointer();
    p.size = size;
    const std::string text = FormatPointer(p);
    EXPECT_LE(text.size(), kMaxPointerBytes);
    auto parsed = ParsePointer(text);
    ASSERT_TRUE(parsed.ok()) << size << ": " << parsed.status().message();
    EXPECT_EQ(parsed->size, size);
    EXPECT_EQ(FormatPointer(*parsed), text);
  }
}

TEST(Pointer, NonCanonicalSizesAreRefused) {
  for (std::string_view size : {"01", "00", "+1", "-1", " 1", "1 ", "", "1e3", "0x10", "1234567a", "9223372036854775808",
                                "18446744073709551616", "99999999999999999999999"})
    ExpectCorrupt(Replaced(kSample, "size 1234567", "size " + std::string(size)), "size '" + std::string(size) + "'");
  ExpectCorrupt(Replaced(kSample, "size 1234567", "size  1234567"), "two spaces");
  ExpectCorrupt(Replaced(kSample, "size 1234567", "Size 1234567"), "capital S");
}

TEST(Pointer, NonCanonicalHexIsRefused) {
  const std::string oid = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
  ExpectCorrupt(Replaced(kSample, oid, "0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef"), "upper case");
  ExpectCorrupt(Replaced(kSample, oid, oid.substr(1)), "63 digits");
  ExpectCorrupt(Replaced(kSample, oid, oid + "0"), "65 digits");
  std::string not_hex = oid;
  not_hex[0] = 'g';
  ExpectCorrupt(Replaced(kSample, oid, not_hex), "not hex");
  ExpectCorrupt(Replaced(kSample, "oid sha256:", "oid sha512:"), "other algorithm");
  ExpectCorrupt(Replaced(kSample, "manifest sha256:fe", "manifest sha256:FE"), "manifest upper case");
  ExpectCorrupt(Replaced(kSample, "manifest sha256:", "manifest  sha256:"), "manifest spacing");
}

TEST(Pointer, LinesMustBeExactlyTheFourInOrder) {
  ExpectCorrupt(Replaced(kSample, "/v1", "/v2"), "later version");
  ExpectCorrupt(kSample.substr(0, kSample.size() - 1), "no final newline");
  ExpectCorrupt(std::string(kSample) + "\n", "blank line after");
  ExpectCorrupt(std::string(kSample) + "x-extra 1\n", "extra line");
  ExpectCorrupt(Replaced(kSample, "\n", "\r\n"), "CRLF");
  ExpectCorrupt("\n" + std::string(kSample), "blank line before");
  // size and oid swapped
  const size_t oid_line = kSample.find("oid"), size_line = kSample.find("size"), manifest_line = kSample.find("manifest");
  std::string swapped = std::string(kSample.substr(0, oid_line)) + std::string(kSample.substr(size_line, manifest_line - size_line)) +
                        std::string(kSample.substr(oid_line, size_line - oid_line)) + std::string(kSample.substr(manifest_line));
  ExpectCorrupt(swapped, "lines out of order");
  ExpectCorrupt("", "empty");
  ExpectCorrupt(std::string(kMaxPointerBytes + 1, 'v'), "too long");
  ExpectCorrupt(std::string(kSample) + std::string(kMaxPointerBytes, '\n'), "too long after a valid pointer");
}

TEST(Pointer, EveryTruncationIsRefused) {
  for (size_t n = 0; n < kSample.size(); ++n) ExpectCorrupt(kSample.substr(0, n), "first " + std::to_string(n) + " bytes");
}

TEST(Pointer, EverySingleByteChangeIsRefusedOrCanonical) {
  const std::string text(kSample);
  for (size_t i = 0; i < text.size(); ++i) {
    for (int value : {0, int{'\n'}, int{' '}, int{'0'}, int{'a'}, int{'A'}, 0xFF}) {
      std::string changed = text;
      changed[i] = static_cast<char>(value);
      auto parsed = ParsePointer(changed);
      if (parsed.ok()) {
        EXPECT_EQ(FormatPointer(*parsed), changed) << i;
      } else {
        EXPECT_EQ(parsed.status().message().find('\n'), std::string::npos);
      }
    }
  }
}

TEST(Pointer, LooksLikePointerWantsTheVersionLine) {
  EXPECT_TRUE(LooksLikePointer(kSample));
  EXPECT_TRUE(LooksLikePointer("version https://git-model.dev/spec/pointer/v1\n"));
  EXPECT_TRUE(LooksLikePointer("version https://git-model.dev/spec/pointer/v1\ngarbage"));
  EXPECT_FALSE(LooksLikePointer("version https://git-model.dev/spec/pointer/v1"));
  EXPECT_FALSE(LooksLikePointer("version https://git-model.dev/spec/pointer/v12\n"));
  EXPECT_FALSE(LooksLikePointer("version https://git-lfs.github.com/spec/v1\n"));
  EXPECT_FALSE(LooksLikePointer(""));
  EXPECT_FALSE(LooksLikePointer("PK\x03\x04"));
}

}  // namespace
}  // namespace gitmodel
