// Records refs fetched from elsewhere are untrusted: hand-made trees with entries git-model never
// writes must give one-line errors naming the ref and path, and leave our records as they were.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "formats/testing/expect_error.h"
#include "git/testing/must_git.h"
#include "git/testing/temp_repo.h"
#include "runs/records_merge.h"
#include "runs/records_ref.h"
#include "runs/testing/records_testing.h"

namespace gitmodel {
namespace {

using testutil::ExpectError;
using testutil::MustGit;
using testutil::OpenRepo;
using testutil::RevParse;
using testutil::ShellQuote;
using testutil::TempDir;
using testutil::WriteFile;

constexpr std::string_view kTheirs = "refs/git-model/remotes/origin/records";

struct RawEntry {
  std::string mode;  // octal, as git writes it ("100644", "40000")
  std::string name;
  std::string id;  // 40 hex digits
};

std::string HexToBytes(const std::string& hex) {
  std::string bytes;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    bytes.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return bytes;
}

class RecordsUntrustedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    MustGit(dir_.path(), "init -q .");
    repo_.emplace(OpenRepo(dir_.path()));
    ASSERT_TRUE(WriteRecords(*repo_, {{"ours.json", "ours"}}, "ours").ok());
    ours_ = RevParse(dir_.path(), "refs/git-model/records");
    blob_ = HashObject("blob", "content");
  }
  // Writes an object of `type` with `bytes` as they are (no checks) and returns its id.
  std::string HashObject(const std::string& type, const std::string& bytes) {
    WriteFile(dir_ / "object.bin", bytes);
    std::string id = MustGit(dir_.path(), fmt::format("hash-object -t {} -w --literally object.bin", type));
    return id.substr(0, 40);
  }
  std::string Tree(const std::vector<RawEntry>& entries) {
    std::string bytes;
    for (const RawEntry& e : entries) bytes += e.mode + " " + e.name + '\0' + HexToBytes(e.id);
    return HashObject("tree", bytes);
  }
  // Points the theirs ref at a commit of `tree`.
  void SetTheirs(const std::string& tree) {
    std::string commit = MustGit(dir_.path(), "commit-tree -m theirs " + tree).substr(0, 40);
    MustGit(dir_.path(), fmt::format("update-ref {} {}", kTheirs, commit));
  }
  // Reading and merging the theirs ref both fail with `code` and `needle`; ours is unchanged.
  void ExpectRejected(Code code, std::string_view needle) {
    ExpectError(ReadRecords(*repo_, kTheirs, ""), code, needle);
    ExpectError(MergeRecords(*repo_, kTheirs), code, needle);
    EXPECT_EQ(RevParse(dir_.path(), "refs/git-model/records"), ours_);
  }

  TempDir dir_;
  std::optional<GitRepo> repo_;
  std::string ours_, blob_;
};

TEST_F(RecordsUntrustedTest, RejectsEntriesThatAreNotPlainFiles) {
  SetTheirs(Tree({{"120000", "link.json", blob_}}));
  ExpectRejected(Code::kCorrupt, "refs/git-model/remotes/origin/records: records entry 'link.json' has mode 120000");
  SetTheirs(Tree({{"160000", "sub", ours_}}));
  ExpectRejected(Code::kCorrupt, "'sub' has mode 160000");
  SetTheirs(Tree({{"100755", "run.sh", blob_}}));
  ExpectRejected(Code::kCorrupt, "'run.sh' has mode 100755");
  SetTheirs(Tree({{"100664", "old.json", blob_}}));
  ExpectRejected(Code::kCorrupt, "'old.json' has mode 100664");
}

TEST_F(RecordsUntrustedTest, RejectsBadNames) {
  std::string inner = Tree({{"100644", "x", blob_}});
  SetTheirs(Tree({{"40000", "..", inner}}));
  ExpectRejected(Code::kCorrupt, "'..' component");
  SetTheirs(Tree({{"100644", "a/b", blob_}}));
  ExpectRejected(Code::kCorrupt, "'a/b' has a '/' in its name");
  SetTheirs(Tree({{"100644", "new\nline", blob_}}));
  ExpectRejected(Code::kCorrupt, "control character");
  SetTheirs(Tree({{"100644", "twice", blob_}, {"100644", "twice", blob_}}));
  ExpectRejected(Code::kCorrupt, "'twice' appears twice");
  SetTheirs(Tree({{"100644", "", blob_}}));  // libgit2 refuses to parse it
  ExpectRejected(Code::kCorrupt, "is missing or malformed");
}

TEST_F(RecordsUntrustedTest, RejectsMissingAndMistypedObjects) {
  const std::string missing = "0123456789012345678901234567890123456789";
  SetTheirs(Tree({{"40000", "dir", missing}}));
  ExpectRejected(Code::kCorrupt, "records directory 'dir' is missing or not a tree");
  SetTheirs(Tree({{"40000", "dir", blob_}}));
  ExpectRejected(Code::kCorrupt, "records directory 'dir' is missing or not a tree");
  SetTheirs(Tree({{"100644", "f", missing}}));
  ExpectError(ReadRecords(*repo_, kTheirs, ""), Code::kCorrupt, "record 'f' (0123456789");
  SetTheirs(Tree({{"100644", "f", Tree({})}}));
  ExpectError(ReadRecord(*repo_, kTheirs, "f"), Code::kCorrupt, "missing or not a blob");
}

TEST_F(RecordsUntrustedTest, RejectsRefsThatAreNotCommits) {
  MustGit(dir_.path(), fmt::format("update-ref {} {}", kTheirs, blob_));
  ExpectRejected(Code::kCorrupt, "points to " + blob_ + ", which is missing or not a commit");
  MustGit(dir_.path(), fmt::format("symbolic-ref {} refs/git-model/records", kTheirs));
  ExpectRejected(Code::kCorrupt, "is a symbolic ref");
}

TEST_F(RecordsUntrustedTest, RejectsPathsTooDeep) {
  std::string tree = Tree({{"100644", "f", blob_}});
  for (int i = 0; i < 70; ++i) tree = Tree({{"40000", "d", tree}});
  SetTheirs(tree);
  ExpectRejected(Code::kCorrupt, "levels");
}

TEST_F(RecordsUntrustedTest, RefusesToReadAnOversizedRecord) {
  std::string big = HashObject("blob", std::string(kMaxRecordFileBytes + 1, '\0'));
  SetTheirs(Tree({{"100644", "big.json", big}}));
  ExpectError(ReadRecords(*repo_, kTheirs, ""), Code::kLimit, "record 'big.json' has 67108865 bytes, over the limit");
  ExpectError(ReadRecord(*repo_, kTheirs, "big.json"), Code::kLimit, "over the limit");
  // A merge does not read files it does not have to: the big one arrives by fast-forward or union.
  auto merged = MergeRecords(*repo_, kTheirs);
  ASSERT_TRUE(merged.ok()) << merged.status().message();
  EXPECT_EQ(merged->added, 1u);
}

}  // namespace
}  // namespace gitmodel
