// gtest helper: a Result that must fail with a given code and a one-line message.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "gitmodel/status.h"

namespace gitmodel::testutil {

// Expects `r` to fail with `code` and a one-line message containing `needle`.
template <typename T>
void ExpectError(const Result<T>& r, Code code, std::string_view needle) {
  ASSERT_FALSE(r.ok()) << "expected an error containing: " << needle;
  EXPECT_EQ(r.status().code(), code) << r.status().message();
  EXPECT_NE(r.status().message().find(needle), std::string::npos)
      << "message: " << r.status().message() << "\nexpected to contain: " << needle;
  EXPECT_EQ(r.status().message().find('\n'), std::string::npos) << r.status().message();
}

}  // namespace gitmodel::testutil
