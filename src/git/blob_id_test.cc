#include "git/blob_id.h"

#include <gtest/gtest.h>

#include <string_view>

namespace gitmodel {
namespace {

std::span<const std::byte> Bytes(std::string_view s) { return std::as_bytes(std::span(s.data(), s.size())); }

TEST(GitBlobId, MatchesGitHashObject) {
  EXPECT_EQ(GitBlobId({}), "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
  EXPECT_EQ(GitBlobId(Bytes("hello\n")), "ce013625030ba8dba906f756967f9e9ca394464a");
  EXPECT_EQ(GitBlobId(Bytes(std::string_view("\0\1", 2))).size(), 40u);
}

}  // namespace
}  // namespace gitmodel
