#include "hyperparams/param_cache_format.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace gitmodel {
namespace {

using nlohmann::json;

ParamCache Sample() {
  ParamCommit commit;
  commit.commit = {.id = std::string(40, 'a'), .tree = std::string(40, 'b'), .parents = {std::string(40, 'c')},
                   .author = "Ada", .email = "ada@example.com", .time = -5, .offset_minutes = -330,
                   .subject = "lower lr"};
  FileParamChanges file{"config.yaml", "old.yaml", "config.yaml:3:1: bad", {}};
  const double nan = std::numeric_limits<double>::quiet_NaN();
  file.changes.push_back({"lr", json(0.01), json(0.001)});
  file.changes.push_back({"list", json::array({1, "x", json::array({true, nullptr})}), std::nullopt});
  file.changes.push_back({"big", std::nullopt, json(uint64_t{1} << 63)});
  file.changes.push_back({"wd", json(nan), json(-std::numeric_limits<double>::infinity())});
  file.changes.push_back({"n", json(int64_t{-7}), json("-7")});
  commit.files.push_back(file);
  ParamCommit root = commit;
  root.commit.parents.clear();
  root.files.clear();
  return {json{{"version", kParamCacheVersion}}, std::string(40, 'a'), {commit, root}};
}

TEST(ParamCacheFormat, RoundTripsEveryValueKind) {
  const std::string bytes = EncodeParamCache(Sample());
  auto decoded = DecodeParamCache(bytes, "cache");
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  EXPECT_EQ(EncodeParamCache(*decoded), bytes);
  const auto& changes = decoded->commits.at(0).files.at(0).changes;
  EXPECT_TRUE(changes.at(0).new_value->is_number_float());
  EXPECT_TRUE(changes.at(2).new_value->is_number_unsigned());
  EXPECT_FALSE(changes.at(2).old_value.has_value());
  EXPECT_TRUE(std::isnan(changes.at(3).old_value->get<double>()));
  EXPECT_TRUE(changes.at(4).new_value->is_string());
  EXPECT_EQ(decoded->commits.at(0).commit.offset_minutes, -330);
  EXPECT_EQ(*decoded->commits.at(0).files.at(0).error, "config.yaml:3:1: bad");
}

TEST(ParamCacheFormat, EveryTruncationIsRejected) {
  const std::string bytes = EncodeParamCache(Sample());
  for (size_t size = 0; size < bytes.size(); ++size) {
    auto decoded = DecodeParamCache(bytes.substr(0, size), "cache");
    ASSERT_FALSE(decoded.ok()) << size;
    EXPECT_EQ(decoded.status().code(), Code::kCorrupt);
  }
}

TEST(ParamCacheFormat, HugeCountsAndDeepArraysAreRejected) {
  std::string bytes = EncodeParamCache(Sample());
  const size_t count_at = bytes.find(std::string(40, 'a')) + 40;  // the tip, then the commit count
  bytes.replace(count_at, 4, "\xff\xff\xff\x7f");
  EXPECT_FALSE(DecodeParamCache(bytes, "cache").ok());

  json deep = 1;
  for (int i = 0; i < 100; ++i) deep = json::array({deep});
  ParamCache cache = Sample();
  cache.commits.at(0).files.at(0).changes.at(0).new_value = deep;
  EXPECT_FALSE(DecodeParamCache(EncodeParamCache(cache), "cache").ok());
}

// Found by fuzz_param_cache: a selection that parses as JSON but is not the text dump() writes
// would not encode back to the same bytes.
TEST(ParamCacheFormat, NonCanonicalSelectionIsRejected) {
  std::string bytes = EncodeParamCache(Sample());
  const std::string canonical = json{{"version", kParamCacheVersion}}.dump();
  const size_t at = bytes.find(canonical);
  ASSERT_NE(at, std::string::npos);
  bytes.replace(at, canonical.size(), std::string(canonical).replace(canonical.find(':'), 1, " :"));
  bytes[at - 4] = static_cast<char>(canonical.size() + 1);  // the length before it
  EXPECT_FALSE(DecodeParamCache(bytes, "cache").ok());
}

// Found by fuzz_param_cache: a file's error flag other than 0 or 1 would not encode back.
TEST(ParamCacheFormat, ErrorFlagIsZeroOrOne) {
  std::string bytes = EncodeParamCache(Sample());
  const std::string paths = std::string("\x0b\0\0\0config.yaml\x08\0\0\0old.yaml", 27);
  const size_t at = bytes.find(paths);
  ASSERT_NE(at, std::string::npos);
  ASSERT_EQ(bytes[at + paths.size()], 1);
  bytes[at + paths.size()] = 2;
  EXPECT_FALSE(DecodeParamCache(bytes, "cache").ok());
}

}  // namespace
}  // namespace gitmodel
