#include "provenance/data_hash.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>

#include "formats/testing/expect_error.h"
#include "provenance/testing/temp_dir.h"
#include "provenance/stat_cache.h"

namespace gitmodel {
namespace {

namespace fs = std::filesystem;
using testutil::ExpectError;

using TempDir = testutil::ScratchDir;

void Write(const fs::path& path, std::string_view text) { testutil::WriteTestFile(path, text); }

// The tree of the test vector in docs/formats.md ("Data tree hash").
void BuildVectorTree(const fs::path& root) {
  Write(root / "a.txt", "hello\n");
  Write(root / "empty", "");
  Write(root / "sp ace.txt", "x");
  Write(root / "sub.txt", "dot\n");
  Write(root / "sub/b.bin", "data\n");
  fs::create_directories(root / "sub/deeper");  // empty: adds nothing
  fs::create_symlink("a.txt", root / "link");
}

constexpr char kVectorHash[] = "4c4bed943c4119933392379f00418415e4510a2bd2b15a330785d0e9d4260f1e";

std::string TreeHash(const fs::path& path, DataHashOptions options = {}) {
  auto d = HashData(path.string(), options);
  EXPECT_TRUE(d.ok()) << d.status().message();
  return d.ok() ? d->tree_hash : "";
}

TEST(DataHash, MatchesTheDocumentedTestVector) {
  TempDir dir;
  BuildVectorTree(dir.path() / "tree");
  std::vector<DataFileEntry> files;
  auto d = HashData((dir.path() / "tree").string(), {}, &files);
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_EQ(d->tree_hash, kVectorHash);
  EXPECT_EQ(d->files, 6u);
  EXPECT_EQ(d->bytes, 6u + 0 + 1 + 4 + 5);
  EXPECT_EQ(d->path, (dir.path() / "tree").string());
  std::vector<std::string> names;
  for (const auto& f : files) names.push_back(f.relative_path);
  // Bytewise order: "sub.txt" ('.' is 0x2e) sorts before "sub/b.bin" ('/' is 0x2f).
  EXPECT_EQ(names, (std::vector<std::string>{"a.txt", "empty", "link", "sp ace.txt", "sub.txt", "sub/b.bin"}));
  EXPECT_TRUE(files[2].symlink);
  EXPECT_EQ(files[2].size, 5u);
  EXPECT_EQ(files[2].sha256, "18b7cb099a9ea3f50ba899b5ba81e0d377a5f3b16f8f6eeb8b3e58cd4692b993");  // "a.txt"
  EXPECT_EQ(files[0].sha256, "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03");
}

TEST(DataHash, DoesNotDependOnLocationThreadsOrTimestamps) {
  TempDir dir;
  BuildVectorTree(dir.path() / "one");
  BuildVectorTree(dir.path() / "elsewhere/two");
  for (int i = 0; i < 40; ++i) Write(dir.path() / "one/many" / std::to_string(i), std::string(i * 1000, 'a' + i % 26));
  for (int i = 39; i >= 0; --i)  // created in the other order
    Write(dir.path() / "elsewhere/two/many" / std::to_string(i), std::string(i * 1000, 'a' + i % 26));
  fs::last_write_time(dir.path() / "one/a.txt", fs::file_time_type::clock::now() - std::chrono::hours(50));
  std::string one = TreeHash(dir.path() / "one", {.threads = 1});
  EXPECT_EQ(one, TreeHash(dir.path() / "elsewhere/two", {.threads = 8}));
  fs::path cwd = fs::current_path();
  fs::current_path(dir.path() / "elsewhere");
  EXPECT_EQ(one, TreeHash("two"));
  EXPECT_EQ(one, TreeHash("./two/"));
  fs::current_path(cwd);
}

TEST(DataHash, EveryChangeChangesTheHash) {
  TempDir dir;
  fs::path root = dir.path() / "tree";
  BuildVectorTree(root);
  std::string before = TreeHash(root);
  Write(root / "sub/b.bin", "dat4\n");  // same size, one byte differs
  std::string modified = TreeHash(root);
  EXPECT_NE(modified, before);
  fs::rename(root / "sub/b.bin", root / "sub/c.bin");
  std::string renamed = TreeHash(root);
  EXPECT_NE(renamed, modified);
  Write(root / "new-empty", "");
  std::string added = TreeHash(root);
  EXPECT_NE(added, renamed);
  fs::remove(root / "link");
  fs::create_symlink("sub.txt", root / "link");  // a symlink's target is part of the hash
  EXPECT_NE(TreeHash(root), added);
  fs::create_directories(root / "another/empty/dir");  // empty directories are not
  EXPECT_EQ(TreeHash(root), TreeHash(root));
}

TEST(DataHash, SymlinksAreNotFollowed) {
  TempDir dir;
  Write(dir.path() / "outside/big.bin", std::string(100000, 'z'));
  Write(dir.path() / "data/x", "x");
  fs::create_directory_symlink("../outside", dir.path() / "data/ext");
  std::vector<DataFileEntry> files;
  auto d = HashData((dir.path() / "data").string(), {}, &files);
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_EQ(d->files, 2u);
  EXPECT_EQ(d->bytes, 1u);
  Write(dir.path() / "outside/big.bin", "changed");
  EXPECT_EQ(TreeHash(dir.path() / "data"), d->tree_hash);
  // PATH itself is followed.
  fs::create_directory_symlink(dir.path() / "data", dir.path() / "alias");
  EXPECT_EQ(TreeHash(dir.path() / "alias"), d->tree_hash);
}

TEST(DataHash, SingleFileHashesLikeADirectoryHoldingOnlyIt) {
  TempDir dir;
  Write(dir.path() / "d/train.bin", "payload");
  Write(dir.path() / "train.bin", "payload");
  std::vector<DataFileEntry> files;
  auto d = HashData((dir.path() / "train.bin").string(), {}, &files);
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_EQ(d->files, 1u);
  EXPECT_EQ(d->bytes, 7u);
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].relative_path, "train.bin");
  EXPECT_EQ(d->tree_hash, TreeHash(dir.path() / "d"));
}

TEST(DataHash, EmptyDirectoryHashesTheHeaderOnly) {
  TempDir dir;
  fs::create_directories(dir.path() / "e/nested");
  auto d = HashData((dir.path() / "e").string(), {});
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->files, 0u);
  EXPECT_EQ(d->tree_hash, ToHex(Sha256Of(std::as_bytes(std::span("git-model/data-tree/v1\n", 23)))));
}

TEST(DataHash, ReportsProgressUpToTheTotal) {
  TempDir dir;
  Write(dir.path() / "a", std::string(3 << 20, 'a'));
  Write(dir.path() / "b", "bb");
  uint64_t last_done = 0, last_total = 0;
  int calls = 0;
  auto d = HashData(dir.path().string(), {.progress = [&](uint64_t done, uint64_t total) {
                                            EXPECT_GE(done, last_done);
                                            last_done = done;
                                            last_total = total;
                                            ++calls;
                                          }});
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(last_total, (3u << 20) + 2);
  EXPECT_EQ(last_done, last_total);
  EXPECT_GE(calls, 2);
}

TEST(DataHash, ErrorsNameThePath) {
  TempDir dir;
  ExpectError(HashData((dir.path() / "missing").string(), {}), Code::kNotFound, "missing: no such file");
  Write(dir.path() / "d/ok", "1");
  ASSERT_EQ(mkfifo((dir.path() / "d/pipe").c_str(), 0600), 0);
  ExpectError(HashData((dir.path() / "d").string(), {}), Code::kUnsupported, "d/pipe: is a FIFO");
  fs::remove(dir.path() / "d/pipe");
  Write(dir.path() / "d/bad\nname", "");
  ExpectError(HashData((dir.path() / "d").string(), {}), Code::kInvalidArgument, "d/bad\\nname: file names holding a newline");
}

TEST(DataHash, LimitsGiveClearErrors) {
  TempDir dir;
  for (int i = 0; i < 3; ++i) Write(dir.path() / "flat" / std::to_string(i), "x");
  ExpectError(HashData((dir.path() / "flat").string(), {.max_files = 2}), Code::kLimit, "more than 2 files");
  EXPECT_TRUE(HashData((dir.path() / "flat").string(), {.max_files = 3}).ok());
  Write(dir.path() / "deep/1/2/3/f", "x");
  ExpectError(HashData((dir.path() / "deep").string(), {.max_depth = 2}), Code::kLimit,
              "deep/1/2/3: directories nested more than 2 levels deep");
  EXPECT_TRUE(HashData((dir.path() / "deep").string(), {.max_depth = 3}).ok());
}

// Runs `fn` as an unprivileged user when this process is root (root reads mode-000 files), in a
// child process; returns fn's Status message and code as "<code>|<message>".
std::string RunUnprivileged(const std::function<Status()>& fn) {
  int fds[2];
  if (pipe(fds) != 0) return "pipe failed";
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0)) _exit(3);
    Status s = fn();
    std::string text = fmt::format("{}|{}", static_cast<int>(s.code()), s.message());
    ssize_t ignored = write(fds[1], text.data(), text.size());
    (void)ignored;
    _exit(0);
  }
  close(fds[1]);
  std::string out;
  char buffer[4096];
  for (ssize_t n; (n = read(fds[0], buffer, sizeof buffer)) > 0;) out.append(buffer, n);
  close(fds[0]);
  waitpid(pid, nullptr, 0);
  return out;
}

TEST(DataHash, UnreadableFileIsAnIOErrorNamingIt) {
  TempDir dir;
  Write(dir.path() / "d/fine", "ok");
  Write(dir.path() / "d/secret", "no");
  fs::permissions(dir.path(), fs::perms::owner_all | fs::perms::others_read | fs::perms::others_exec);
  fs::permissions(dir.path() / "d", fs::perms::owner_all | fs::perms::others_read | fs::perms::others_exec);
  fs::permissions(dir.path() / "d/fine", fs::perms::owner_read | fs::perms::others_read);
  fs::permissions(dir.path() / "d/secret", fs::perms::none);
  std::string path = (dir.path() / "d").string();
  std::string got = RunUnprivileged([&] { return HashData(path, {.threads = 1}).status(); });
  EXPECT_EQ(got, fmt::format("{}|{}/secret: cannot open: Permission denied", static_cast<int>(Code::kIO), path));
}

TEST(DataHash, FileChangingWhileHashedIsAConflict) {
  TempDir dir;
  Write(dir.path() / "a", "first");
  Write(dir.path() / "b", "second");
  bool changed = false;
  auto d = HashData(dir.path().string(), {.threads = 1, .progress = [&](uint64_t, uint64_t) {
                                            if (!changed) Write(dir.path() / "b", "second, longer");
                                            changed = true;
                                          }});
  ExpectError(d, Code::kConflict, "/b: changed while being hashed");
}

TEST(DataHash, JsonRoundTripAndStrictTypes) {
  DataDigest d{"data/train", std::string(64, 'a'), 3, 42};
  nlohmann::json j = DataToJson(d);
  EXPECT_EQ(j["format"], kDataTreeFormat);
  auto back = DataFromJson(j);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->path, d.path);
  EXPECT_EQ(back->tree_hash, d.tree_hash);
  EXPECT_EQ(back->files, 3u);
  EXPECT_EQ(back->bytes, 42u);
  j["unknown_key"] = {1, 2};
  EXPECT_TRUE(DataFromJson(j).ok());
  auto with = [&](const char* key, nlohmann::json v) {
    nlohmann::json copy = DataToJson(d);
    copy[key] = std::move(v);
    return DataFromJson(copy);
  };
  ExpectError(with("files", "3"), Code::kCorrupt, "data.files");
  ExpectError(with("bytes", -1), Code::kCorrupt, "data.bytes");
  ExpectError(with("tree_hash", std::string(64, 'A')), Code::kCorrupt, "data.tree_hash");
  ExpectError(with("path", 7), Code::kCorrupt, "data.path");
  ExpectError(with("format", "git-model/data-tree/v9"), Code::kUnsupported, "v9");
  ExpectError(DataFromJson(nlohmann::json::array()), Code::kCorrupt, "data: expected an object");
  nlohmann::json no_path = DataToJson(d);
  no_path.erase("path");
  ExpectError(DataFromJson(no_path), Code::kCorrupt, "data.path: missing");
}

}  // namespace
}  // namespace gitmodel
