#include "hooks/pre_push.h"

#include <gtest/gtest.h>

namespace gitmodel {
namespace {

TEST(ParsePrePushInput, ReadsEachRef) {
  const std::string zeros(40, '0'), id(40, 'a');
  auto refs = ParsePrePushInput("refs/heads/main " + id + " refs/heads/main " + zeros + "\n\n");
  ASSERT_TRUE(refs.ok()) << refs.status().message();
  ASSERT_EQ(refs->size(), 1u);
  EXPECT_EQ((*refs)[0].local_ref, "refs/heads/main");
  EXPECT_EQ((*refs)[0].remote_id, zeros);
  EXPECT_TRUE(ParsePrePushInput("").ok());
}

TEST(ParsePrePushInput, RefusesMalformedLines) {
  auto bad = ParsePrePushInput("refs/heads/main abc\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("line 1"), std::string::npos);
  EXPECT_FALSE(ParsePrePushInput("a b c d e\n").ok());
}

}  // namespace
}  // namespace gitmodel
