#include "signing/key_files.h"

#include <sys/stat.h>

#include <gtest/gtest.h>

#include "base/atomic_file.h"
#include "git/testing/temp_repo.h"

namespace gitmodel {
namespace {

unsigned ModeOf(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(stat(path.c_str(), &st), 0);
  return st.st_mode & 07777;
}

using testutil::TempDir;

TEST(KeyFilesTest, WritesPrivateKey0600AndAPublicKeyLine) {
  TempDir dir;
  std::string path = dir / "keys/signing_key";
  auto key = SigningKey::Generate();
  ASSERT_TRUE(key.ok());
  ASSERT_TRUE(WriteKeyPair(path, *key, "Ada <ada@example.com>", false).ok());
  EXPECT_EQ(ModeOf(path), 0600u);
  EXPECT_EQ(ModeOf(dir / "keys"), 0700u);
  auto pub = ReadSmallFile(path + ".pub", 4096);
  ASSERT_TRUE(pub.ok());
  EXPECT_EQ(*pub, FormatPublicKeyLine({key->public_key(), "Ada <ada@example.com>"}) + "\n");
  EXPECT_EQ(PublicKeyComment(path), "Ada <ada@example.com>");

  auto back = ReadSigningKey(path);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->public_key(), key->public_key());
}

TEST(KeyFilesTest, RefusesToOverwriteUnlessAsked) {
  TempDir dir;
  std::string path = dir / "k";
  auto a = SigningKey::Generate(), b = SigningKey::Generate();
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_TRUE(WriteKeyPair(path, *a, "", false).ok());
  Status again = WriteKeyPair(path, *b, "", false);
  EXPECT_EQ(again.code(), Code::kConflict);
  EXPECT_EQ(ReadSigningKey(path)->public_key(), a->public_key());
  ASSERT_TRUE(WriteKeyPair(path, *b, "", true).ok());
  EXPECT_EQ(ReadSigningKey(path)->public_key(), b->public_key());
  EXPECT_EQ(ModeOf(path), 0600u);
}

TEST(KeyFilesTest, MissingAndGarbageKeys) {
  TempDir dir;
  auto missing = ReadSigningKey(dir / "none");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), Code::kNotFound);
  EXPECT_NE(missing.status().message().find("git model keygen"), std::string::npos);
  ASSERT_TRUE(WriteFileAtomically(dir / "bad", "hello\n").ok());
  auto garbage = ReadSigningKey(dir / "bad");
  ASSERT_FALSE(garbage.ok());
  EXPECT_EQ(garbage.status().code(), Code::kCorrupt);
  EXPECT_EQ(PublicKeyComment(dir / "bad"), "");
}

TEST(KeyFilesTest, ExplicitPathWins) {
  auto path = ResolveSigningKeyPath("/some/key", "/");
  ASSERT_TRUE(path.ok());
  EXPECT_EQ(*path, "/some/key");
}

}  // namespace
}  // namespace gitmodel
