// For GoogleTest files only: runs git in `dir` (hermetic, see temp_repo.h) and expects success.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "git/testing/temp_repo.h"

namespace gitmodel::testutil {

inline std::string MustGit(const std::string& dir, const std::string& args) {
  CommandResult r = Git(dir, args);
  EXPECT_EQ(r.exit_code, 0) << "git " << args << "\n" << r.output;
  return r.output;
}

}  // namespace gitmodel::testutil
