// Concurrent writers of the records ref never lose a write.
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "git/testing/must_git.h"
#include "git/testing/temp_repo.h"
#include "runs/records_ref.h"
#include "runs/testing/records_testing.h"

namespace gitmodel {
namespace {

using testutil::MustGit;
using testutil::OpenRepo;
using testutil::TempDir;

constexpr int kWriters = 4;
constexpr int kWritesEach = 25;

std::string RecordPath(int writer, int i) { return fmt::format("runs/w{}-{}/run.json", writer, i); }

// Writer `writer`'s records, one commit each, through its own GitRepo.
Status WriteMany(const std::string& dir, int writer) {
  GitRepo repo = OpenRepo(dir);
  for (int i = 0; i < kWritesEach; ++i) {
    GM_RETURN_IF_ERROR(WriteRecords(repo, {{RecordPath(writer, i), fmt::format("{} {}\n", writer, i)}},
                                    fmt::format("writer {} record {}", writer, i)));
  }
  return OkStatus();
}

void ExpectEveryWrite(const std::string& dir) {
  GitRepo repo = OpenRepo(dir);
  auto records = ReadRecords(repo, kRecordsRef, "runs");
  ASSERT_TRUE(records.ok()) << records.status().message();
  ASSERT_EQ(records->size(), size_t{kWriters * kWritesEach});
  for (int writer = 0; writer < kWriters; ++writer) {
    for (int i = 0; i < kWritesEach; ++i) {
      auto content = ReadRecord(repo, kRecordsRef, RecordPath(writer, i));
      ASSERT_TRUE(content.ok() && content->has_value()) << RecordPath(writer, i);
      EXPECT_EQ(**content, fmt::format("{} {}\n", writer, i));
    }
  }
  // One commit per write, in a single chain.
  EXPECT_EQ(MustGit(dir, "rev-list --count refs/git-model/records"), fmt::format("{}\n", kWriters * kWritesEach));
  EXPECT_EQ(MustGit(dir, "rev-list --count --merges refs/git-model/records"), "0\n");
}

TEST(RecordsConcurrencyTest, ThreadsWithTheirOwnRepoLoseNoWrite) {
  TempDir dir;
  MustGit(dir.path(), "init -q .");
  std::vector<Status> results(kWriters);
  std::vector<std::thread> threads;
  for (int writer = 0; writer < kWriters; ++writer) {
    threads.emplace_back([&, writer] { results[writer] = WriteMany(dir.path(), writer); });
  }
  for (std::thread& t : threads) t.join();
  for (const Status& s : results) EXPECT_TRUE(s.ok()) << s.message();
  ExpectEveryWrite(dir.path());
}

TEST(RecordsConcurrencyTest, ProcessesLoseNoWrite) {
  TempDir dir;
  MustGit(dir.path(), "init -q .");
  std::vector<pid_t> children;
  for (int writer = 0; writer < kWriters; ++writer) {
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) _exit(WriteMany(dir.path(), writer).ok() ? 0 : 1);
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  ExpectEveryWrite(dir.path());
}

}  // namespace
}  // namespace gitmodel
