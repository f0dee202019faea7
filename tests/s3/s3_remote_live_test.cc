// S3 remotes against a real S3-compatible server. Run through tests/s3/with_s3rver.sh (CTest:
// s3_remote_live), which starts s3rver with a SigV4 check and exports GITMODEL_S3_ENDPOINT,
// GITMODEL_S3_BUCKET and the AWS_* settings these tests open remotes with.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "base/atomic_file.h"
#include "base/testing/pseudo_random_bytes.h"
#include "store/http_client.h"
#include "store/object_store.h"
#include "store/remote.h"
#include "store/s3_error.h"
#include "store/s3_remote.h"
#include "store/transfer.h"

namespace gitmodel {
namespace {

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? "" : value;
}

std::vector<std::byte> Bytes(size_t size, uint32_t seed) { return testutil::PseudoRandomBytes(size, seed); }

std::string_view AsText(const std::vector<std::byte>& bytes) {
  return std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

class S3LiveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    endpoint_ = Env("GITMODEL_S3_ENDPOINT");
    bucket_ = Env("GITMODEL_S3_BUCKET");
    if (endpoint_.empty() || bucket_.empty()) GTEST_SKIP() << "run through tests/s3/with_s3rver.sh";
    std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    prefix_ = fmt::format("live-{}/{}", getpid(), name);
    dir_ = std::filesystem::temp_directory_path() / fmt::format("gm-s3-live-{}-{}", getpid(), name);
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  std::string Url() const { return fmt::format("s3://{}/{}", bucket_, prefix_); }
  std::unique_ptr<Remote> Open(const S3Settings& settings = {}) {
    auto remote = OpenRemote(Url(), settings);  // endpoint and credentials from the environment
    EXPECT_TRUE(remote.ok()) << remote.status().message();
    return remote.ok() ? std::move(*remote) : nullptr;
  }
  std::string LocalFile(const std::string& name, std::string_view contents) {
    std::string path = (dir_ / name).string();
    EXPECT_TRUE(WriteFileAtomically(path, contents).ok());
    return path;
  }
  ObjectId IdOf(std::string_view text) { return Sha256Of(std::as_bytes(std::span(text.data(), text.size()))); }

  std::string endpoint_, bucket_, prefix_;
  std::filesystem::path dir_;
};

TEST_F(S3LiveTest, PutHasGetRoundTrip) {
  auto remote = Open();
  ASSERT_TRUE(remote);
  std::vector<std::byte> big = Bytes(3 << 20, 1);  // several reads of the upload callback
  std::string source = LocalFile("source", AsText(big));
  ObjectId id = IdOf(AsText(big));

  auto before = remote->Has(id);
  ASSERT_TRUE(before.ok()) << before.status().message();
  EXPECT_FALSE(*before);
  Status put = remote->Put(id, source);
  ASSERT_TRUE(put.ok()) << put.message();
  auto after = remote->Has(id);
  ASSERT_TRUE(after.ok()) << after.status().message();
  EXPECT_TRUE(*after);

  std::string dest = (dir_ / "dest").string();
  Status got = remote->Get(id, dest);
  ASSERT_TRUE(got.ok()) << got.message();
  auto back = ReadSmallFile(dest, 8 << 20);
  ASSERT_TRUE(back.ok());
  EXPECT_TRUE(*back == AsText(big));
  size_t entries = 0;
  for ([[maybe_unused]] auto& e : std::filesystem::directory_iterator(dir_)) ++entries;
  EXPECT_EQ(entries, 2u);  // source and dest, no temp file
}

TEST_F(S3LiveTest, MissingObjectIsNotFound) {
  auto remote = Open();
  ASSERT_TRUE(remote);
  ObjectId id = IdOf("never uploaded");
  std::string dest = (dir_ / "dest").string();
  Status got = remote->Get(id, dest);
  EXPECT_EQ(got.code(), Code::kNotFound) << got.message();
  EXPECT_NE(got.message().find(Url() + ": GET objects/"), std::string::npos) << got.message();
  EXPECT_NE(got.message().find(": 404 NoSuchKey"), std::string::npos) << got.message();
  EXPECT_FALSE(std::filesystem::exists(dest));
  EXPECT_FALSE(*remote->Has(id));
}

TEST_F(S3LiveTest, WrongSecretIsRefusedWithS3sErrorCode) {
  S3Settings wrong;
  wrong.access_key = "S3RVER";
  wrong.secret_key = "not-the-secret";
  auto remote = Open(wrong);
  ASSERT_TRUE(remote);
  ObjectId id = IdOf("refused");
  std::string hex = ObjectHex(id);
  Status put = remote->Put(id, LocalFile("source", "refused"));
  EXPECT_EQ(put.message(), fmt::format("{}: PUT objects/{}/{}/{}: 403 SignatureDoesNotMatch", Url(),
                                       hex.substr(0, 2), hex.substr(2, 2), hex));
  EXPECT_FALSE(IsRetryable(put));
  auto has = remote->Has(id);
  ASSERT_FALSE(has.ok());
  EXPECT_NE(has.status().message().find(": 403"), std::string::npos) << has.status().message();

  S3Settings unknown;
  unknown.access_key = "NOSUCHKEY";
  unknown.secret_key = "x";
  Status who = Open(unknown)->Put(id, LocalFile("source2", "x"));
  EXPECT_NE(who.message().find("403 InvalidAccessKeyId"), std::string::npos) << who.message();
}

TEST_F(S3LiveTest, SessionTokenIsSigned) {
  S3Settings with_token;
  with_token.access_key = "S3RVER";
  with_token.secret_key = "S3RVER";
  with_token.session_token = "FwoGZXIvYXdzE+token/with=chars";
  auto remote = Open(with_token);
  ASSERT_TRUE(remote);
  ObjectId id = IdOf("token");
  Status put = remote->Put(id, LocalFile("source", "token"));
  EXPECT_TRUE(put.ok()) << put.message();
  EXPECT_TRUE(*remote->Has(id));
}

// The key layout checked by hand: <prefix>/objects/ab/cd/<hex>, and no leading slash without one.
TEST_F(S3LiveTest, ObjectsLiveUnderThePrefix) {
  ObjectId id = IdOf("layout");
  std::string hex = ObjectHex(id);
  std::string source = LocalFile("source", "layout");
  ASSERT_TRUE(Open()->Put(id, source).ok());
  auto root = OpenRemote(fmt::format("s3://{}", bucket_));
  ASSERT_TRUE(root.ok());
  EXPECT_FALSE(*(*root)->Has(id));
  auto parent = OpenRemote(fmt::format("s3://{}/live-{}", bucket_, getpid()));
  EXPECT_FALSE(*(*parent)->Has(id));

  std::string host = endpoint_.substr(endpoint_.find("://") + 3);
  std::string path = fmt::format("/{}/{}/objects/{}/{}/{}", bucket_, prefix_, hex.substr(0, 2), hex.substr(2, 2), hex);
  HttpRequest get;
  get.url = endpoint_ + path;
  get.headers = {{"host", host}};
  SigningRequest signing{"GET", host, path, {}, {}, ToHex(Sha256Of({}))};
  HttpHeaders auth = SignS3Request(signing, {"S3RVER", "S3RVER", ""}, "us-east-1", AmzDate(std::chrono::system_clock::now()));
  get.headers.insert(get.headers.end(), auth.begin(), auth.end());
  auto response = PerformHttp(get);
  ASSERT_TRUE(response.ok()) << response.status().message();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "layout");

  ASSERT_TRUE((*root)->Put(id, source).ok());
  get.url = fmt::format("{}/{}/objects/{}/{}/{}", endpoint_, bucket_, hex.substr(0, 2), hex.substr(2, 2), hex);
  signing.encoded_path = get.url.substr(endpoint_.size());
  get.headers = {{"host", host}};
  auth = SignS3Request(signing, {"S3RVER", "S3RVER", ""}, "us-east-1", AmzDate(std::chrono::system_clock::now()));
  get.headers.insert(get.headers.end(), auth.begin(), auth.end());
  response = PerformHttp(get);
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 200) << response->body;
}

// The server (start_s3rver.js) checks bodies against x-amz-content-sha256 as S3 does, so every
// successful Put above proves the header is the real payload hash; this proves the check is on.
TEST_F(S3LiveTest, ServerRefusesABodyThatDoesNotMatchItsHash) {
  std::string host = endpoint_.substr(endpoint_.find("://") + 3);
  std::string path = fmt::format("/{}/{}/mismatch", bucket_, prefix_);
  std::string source = LocalFile("source", "actual body");
  HttpRequest put;
  put.method = "PUT";
  put.url = endpoint_ + path;
  put.headers = {{"host", host}};
  std::string claimed = "claimed body";
  SigningRequest signing{"PUT", host, path, {}, {}, ToHex(Sha256Of(std::as_bytes(std::span(claimed.data(), claimed.size()))))};
  HttpHeaders auth = SignS3Request(signing, {"S3RVER", "S3RVER", ""}, "us-east-1", AmzDate(std::chrono::system_clock::now()));
  put.headers.insert(put.headers.end(), auth.begin(), auth.end());
  int fd = open(source.c_str(), O_RDONLY);
  ASSERT_GE(fd, 0);
  put.upload_fd = fd;
  put.upload_size = 11;
  auto response = PerformHttp(put);
  close(fd);
  ASSERT_TRUE(response.ok()) << response.status().message();
  EXPECT_EQ(S3ResponseError("put", *response).message(), "put: 400 XAmzContentSHA256Mismatch");
}

TEST_F(S3LiveTest, TransfersThroughARealObjectStore) {
  auto remote = Open();
  ASSERT_TRUE(remote);
  ObjectStore a((dir_ / "a").string());
  std::vector<ObjectId> ids;
  std::vector<std::vector<std::byte>> raws;
  for (uint32_t i = 0; i < 24; ++i) {
    raws.push_back(Bytes(20'000 + 1000 * i, 10 + i));
    auto put = a.Put(std::span<const std::byte>(raws.back()), PutOptions{});
    ASSERT_TRUE(put.ok()) << put.status().message();
    ids.push_back(put->id);
  }
  std::vector<std::byte> delta_raw = raws[0];
  for (size_t i = 0; i < delta_raw.size(); i += 101) delta_raw[i] = std::byte{0};
  PutOptions delta_options;
  delta_options.delta_base = ids[0];
  auto delta = a.Put(std::span<const std::byte>(delta_raw), delta_options);
  ASSERT_TRUE(delta.ok()) << delta.status().message();
  ASSERT_EQ(delta->depth, 1) << "the store did not keep a delta";

  TransferOptions options;
  options.jobs = 8;
  options.first_backoff = std::chrono::milliseconds(10);
  std::vector<ObjectId> wanted = ids;
  wanted.push_back(delta->id);
  auto up = UploadObjects(a, *remote, wanted, options);
  ASSERT_TRUE(up.ok()) << up.status().message();
  ASSERT_TRUE(up->ok()) << up->failed[0].second.message();
  EXPECT_EQ(up->transferred, 25u);

  ObjectStore b((dir_ / "b").string());
  std::vector<ObjectId> only_delta{delta->id};
  auto down = DownloadObjects(b, *remote, only_delta, options);
  ASSERT_TRUE(down.ok() && down->ok()) << (down.ok() ? down->failed[0].second.message() : down.status().message());
  EXPECT_EQ(down->transferred, 2u);  // the delta and its base
  down = DownloadObjects(b, *remote, wanted, options);
  ASSERT_TRUE(down.ok() && down->ok());
  for (size_t i = 0; i < ids.size(); ++i) EXPECT_EQ(*b.Read(ids[i]), raws[i]);
  EXPECT_EQ(*b.Read(delta->id), delta_raw);
}

TEST_F(S3LiveTest, CorruptRemoteObjectIsDetectedOnDownload) {
  auto remote = Open();
  ASSERT_TRUE(remote);
  ObjectStore a((dir_ / "a").string());
  std::vector<std::byte> good_raw = Bytes(5000, 1), bad_raw = Bytes(5000, 2);
  ObjectId good = a.Put(std::span<const std::byte>(good_raw), PutOptions{})->id;
  ObjectId bad = a.Put(std::span<const std::byte>(bad_raw), PutOptions{})->id;
  // The remote's `bad` holds `good`'s object file: well formed, wrong content.
  ASSERT_TRUE(remote->Put(good, a.ObjectPath(good)).ok());
  ASSERT_TRUE(remote->Put(bad, a.ObjectPath(good)).ok());

  ObjectStore b((dir_ / "b").string());
  std::vector<ObjectId> ids{good, bad};
  TransferOptions options;
  auto down = DownloadObjects(b, *remote, ids, options);
  ASSERT_TRUE(down.ok());
  EXPECT_EQ(down->transferred, 1u);
  ASSERT_EQ(down->failed.size(), 1u);
  EXPECT_EQ(down->failed[0].first, bad);
  EXPECT_EQ(down->failed[0].second.code(), Code::kCorrupt);
  EXPECT_TRUE(down->failed[0].second.message().starts_with(fmt::format("object {} from {}: ", ObjectHex(bad), Url())))
      << down->failed[0].second.message();
  EXPECT_FALSE(b.Contains(bad));
}

}  // namespace
}  // namespace gitmodel
