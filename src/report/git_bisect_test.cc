#include "report/git_bisect.h"

#include <gtest/gtest.h>

namespace gitmodel {
namespace {

const std::string kA = "3c936b968d8ef26b92c05ad8c2a9657c592f172f";
const std::string kB = "8078a9aa87050c3e4aba698ba633b6f3be7422db";

TEST(GitBisectAnswer, FirstBadCommit) {
  EXPECT_EQ(ParseBisectAnswer("running ./step\n" + kA + " is the first bad commit\ncommit " + kA + "\n"),
            (std::vector<std::string>{kA}));
}

TEST(GitBisectAnswer, OnlySkippedLeft) {
  const std::string out = "There are only 'skip'ped commits left to test.\nThe first bad commit could be any of:\n" +
                          kB + "\n" + kA + "\nWe cannot bisect more!\n";
  EXPECT_EQ(ParseBisectAnswer(out), (std::vector<std::string>{kB, kA}));
}

TEST(GitBisectAnswer, NoAnswer) {
  EXPECT_TRUE(ParseBisectAnswer("bisect run failed:\nexit code 255 from './step' is < 0 or >= 128\n").empty());
  EXPECT_TRUE(ParseBisectAnswer(kA + " is not the first bad commit\n").empty());
}

}  // namespace
}  // namespace gitmodel
