#include "runs/child_spawn.h"

#include <cerrno>

#include <gtest/gtest.h>

namespace gitmodel {
namespace {

std::vector<std::string> Environment(std::vector<const char*> parent,
                                     const std::vector<std::pair<std::string, std::string>>& set_env) {
  parent.push_back(nullptr);
  Result<std::vector<std::string>> environment = ChildEnvironment(const_cast<char* const*>(parent.data()), set_env);
  EXPECT_TRUE(environment.ok()) << environment.status().message();
  return environment.ok() ? *environment : std::vector<std::string>{};
}

using Strings = std::vector<std::string>;

TEST(ChildEnvironment, AddsPythonUnbufferedUnlessSet) {
  EXPECT_EQ(Environment({"PATH=/bin", "HOME=/h"}, {}), (Strings{"PATH=/bin", "HOME=/h", "PYTHONUNBUFFERED=1"}));
  EXPECT_EQ(Environment({"PYTHONUNBUFFERED="}, {}), (Strings{"PYTHONUNBUFFERED="}));
  EXPECT_EQ(Environment({}, {{"PYTHONUNBUFFERED", "0"}}), (Strings{"PYTHONUNBUFFERED=0"}));
}

TEST(ChildEnvironment, SetEnvReplacesOrAppends) {
  EXPECT_EQ(Environment({"A=1", "AB=2", "B=3"}, {{"A", "x=y"}, {"C", ""}}),
            (Strings{"AB=2", "B=3", "A=x=y", "C=", "PYTHONUNBUFFERED=1"}));
}

TEST(ChildEnvironment, RefusesInvalidNames) {
  char* const empty[] = {nullptr};
  EXPECT_EQ(ChildEnvironment(empty, {{"", "v"}}).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(ChildEnvironment(empty, {{"A=B", "v"}}).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(ChildEnvironment(empty, {{std::string("A\0B", 3), "v"}}).status().code(), Code::kInvalidArgument);
}

TEST(StartErrorMessage, NamesTheProgramAndTheReason) {
  EXPECT_EQ(StartErrorMessage("train.py", ENOENT), "train.py: command not found");
  EXPECT_EQ(StartErrorMessage("./train.py", ENOENT), "./train.py: no such file");
  EXPECT_EQ(StartErrorMessage("./train.py", EACCES), "./train.py: permission denied");
  EXPECT_EQ(StartErrorMessage("x", E2BIG), "x: cannot run: Argument list too long");
}

}  // namespace
}  // namespace gitmodel
