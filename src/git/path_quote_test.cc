#include "git/path_quote.h"

#include <gtest/gtest.h>

namespace gitmodel {
namespace {

TEST(GitPathQuote, QuotesLikeGit) {
  EXPECT_EQ(QuoteGitPath("a/plain name.txt"), "a/plain name.txt");  // spaces alone are not quoted
  EXPECT_EQ(QuoteGitPath("a/na\xc3\xafve.txt"), "\"a/na\\303\\257ve.txt\"");
  EXPECT_EQ(QuoteGitPath("a/tab\there"), "\"a/tab\\there\"");
  EXPECT_EQ(QuoteGitPath("a/new\nline"), "\"a/new\\nline\"");
  EXPECT_EQ(QuoteGitPath("a/say \"hi\""), "\"a/say \\\"hi\\\"\"");
  EXPECT_EQ(QuoteGitPath("a/back\\slash"), "\"a/back\\\\slash\"");
  EXPECT_EQ(QuoteGitPath(std::string_view("a/\x01\x7f", 4)), "\"a/\\001\\177\"");
}

}  // namespace
}  // namespace gitmodel
