// For GoogleTest files of the records ref: opening temp repositories and checking errors.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "git/repo.h"
#include "git/testing/must_git.h"
#include "gitmodel/status.h"

namespace gitmodel::testutil {

// The repository at `dir` (which must exist), opened in-process.
inline GitRepo OpenRepo(const std::string& dir) {
  auto repo = DiscoverRepo(dir);
  EXPECT_TRUE(repo.ok() && repo->has_value()) << dir << ": " << repo.status().message();
  return std::move(**repo);
}

// Expects `status` to fail with `code` and a one-line message containing `needle`.
inline void ExpectStatusError(const Status& status, Code code, std::string_view needle) {
  ASSERT_FALSE(status.ok()) << "expected an error containing: " << needle;
  EXPECT_EQ(status.code(), code) << status.message();
  EXPECT_NE(status.message().find(needle), std::string::npos)
      << "message: " << status.message() << "\nexpected to contain: " << needle;
  EXPECT_EQ(status.message().find('\n'), std::string::npos) << status.message();
}

// `git rev-parse <rev>` without the newline.
inline std::string RevParse(const std::string& dir, const std::string& rev) {
  std::string out = MustGit(dir, "rev-parse " + rev);
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

}  // namespace gitmodel::testutil
