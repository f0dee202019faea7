#include "provenance/index_db.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <thread>
#include <vector>

#include "git/testing/temp_repo.h"
#include "provenance/record_index.h"

namespace gitmodel {
namespace {

int UserVersionOf(const std::string& path) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, nullptr);
  sqlite3_step(s);
  const int version = sqlite3_column_int(s, 0);
  sqlite3_finalize(s);
  sqlite3_close(db);
  return version;
}

void ExecRaw(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  sqlite3_close(db);
}

TEST(IndexDbTest, NewDatabaseGetsTheCurrentSchema) {
  testutil::TempDir dir;
  const std::string path = dir / "a/b/index.db";
  ASSERT_TRUE(OpenIndexDb(path).ok());
  EXPECT_EQ(UserVersionOf(path), IndexSchemaVersion());
  EXPECT_GE(IndexSchemaVersion(), 2);
}

// A database written by a build that only knew the record index (schema 1) keeps its records and
// gains the run tables.
TEST(IndexDbTest, Schema1DatabaseIsMigratedKeepingItsRecords) {
  testutil::TempDir dir;
  const std::string path = dir / "index.db";
  ExecRaw(path, R"sql(
    CREATE TABLE records (id INTEGER PRIMARY KEY, fingerprint TEXT NOT NULL, file_sha256 TEXT NOT NULL,
      path TEXT NOT NULL, created TEXT NOT NULL, record TEXT NOT NULL, UNIQUE (file_sha256, created));
    INSERT INTO records (fingerprint, file_sha256, path, created, record) VALUES ('fp', 'f', '/a', 't', '{}');
    PRAGMA user_version = 1;)sql");
  Result<RecordIndex> index = RecordIndex::Open(path);
  ASSERT_TRUE(index.ok()) << index.status().message();
  EXPECT_EQ(index->FindByFingerprint("fp")->size(), 1u);
  EXPECT_EQ(UserVersionOf(path), IndexSchemaVersion());
  ExecRaw(path, "SELECT count(*) FROM runs; SELECT count(*) FROM metric_points;");
}

TEST(IndexDbTest, NewerSchemaIsRefusedAndLeftAlone) {
  testutil::TempDir dir;
  const std::string path = dir / "index.db";
  ExecRaw(path, "PRAGMA user_version = 999");
  Result<SqliteDb> db = OpenIndexDb(path);
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), Code::kUnsupported);
  EXPECT_NE(db.status().message().find("upgrade git-model"), std::string::npos);
  EXPECT_EQ(UserVersionOf(path), 999);
}

TEST(IndexDbTest, ConcurrentOpensOfAFreshDatabaseMigrateOnce) {
  testutil::TempDir dir;
  const std::string path = dir / "index.db";
  std::vector<std::thread> threads;
  std::vector<Status> results(6);
  for (size_t i = 0; i < results.size(); ++i) {
    threads.emplace_back([&, i] { results[i] = OpenIndexDb(path).status(); });
  }
  for (auto& t : threads) t.join();
  for (const Status& s : results) EXPECT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(UserVersionOf(path), IndexSchemaVersion());
}

}  // namespace
}  // namespace gitmodel
