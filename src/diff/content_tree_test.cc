#include "diff/content_tree.h"

#include <gtest/gtest.h>

namespace gitmodel {
namespace {

TEST(ContentTreeTest, DiffListsAddedRemovedAndChangedKeysInOrder) {
  const std::map<std::string, std::string> a = {{"epoch", "3"}, {"loss", "0.5"}, {"lr", "0.01"}, {"z", "same"}};
  const std::map<std::string, std::string> b = {{"best", "0.9"}, {"epoch", "5"}, {"lr", "0.01"}, {"z", "same"}};
  const auto changes = DiffContent(a, b);
  ASSERT_EQ(changes.size(), 3u);
  EXPECT_EQ(changes[0].path, "best");
  EXPECT_FALSE(changes[0].a);
  EXPECT_EQ(*changes[0].b, "0.9");
  EXPECT_EQ(changes[1].path, "epoch");
  EXPECT_EQ(*changes[1].a, "3");
  EXPECT_EQ(*changes[1].b, "5");
  EXPECT_EQ(changes[2].path, "loss");
  EXPECT_FALSE(changes[2].b);
  EXPECT_TRUE(DiffContent(a, a).empty());
}

}  // namespace
}  // namespace gitmodel
