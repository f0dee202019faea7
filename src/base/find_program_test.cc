#include "base/find_program.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "provenance/testing/temp_dir.h"

namespace gitmodel {
namespace {

namespace fs = std::filesystem;

TEST(FindProgram, FirstExecutableOnThePath) {
  testutil::ScratchDir dir;
  fs::path a = dir.path() / "a", b = dir.path() / "b", c = dir.path() / "c";
  testutil::WriteTestFile(a / "tool", "not executable");
  testutil::WriteTestFile(b / "tool", "#!/bin/sh\n");
  fs::permissions(b / "tool", fs::perms::owner_all);
  fs::create_directories(c / "dir-tool");
  std::string path = (dir.path() / "missing").string() + ":" + a.string() + ":" + (c / "dir-tool").string() + ":" + b.string();
  EXPECT_EQ(FindProgram("tool", path), (b / "tool").string());
  EXPECT_EQ(FindProgram("dir-tool", c.string()), std::nullopt);
  EXPECT_EQ(FindProgram("tool", a.string()), std::nullopt);
  EXPECT_EQ(FindProgram("tool", ""), std::nullopt);  // "" is the current directory
}

}  // namespace
}  // namespace gitmodel
