#include "store/s3_remote.h"

#include "store/s3_error.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace gitmodel {
namespace {

ObjectId IdOf(std::string_view text) { return Sha256Of(std::as_bytes(std::span(text.data(), text.size()))); }

TEST(S3UrlTest, ParsesBucketAndPrefix) {
  auto plain = ParseS3Url("s3://bucket");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->bucket, "bucket");
  EXPECT_EQ(plain->prefix, "");
  auto slash = ParseS3Url("s3://bucket/");
  ASSERT_TRUE(slash.ok());
  EXPECT_EQ(slash->prefix, "");
  auto nested = ParseS3Url("s3://my.bucket-1/team/models x/");
  ASSERT_TRUE(nested.ok());
  EXPECT_EQ(nested->bucket, "my.bucket-1");
  EXPECT_EQ(nested->prefix, "team/models x");
}

TEST(S3UrlTest, RefusesMalformedUrls) {
  for (const char* url : {"s3://", "s3:///prefix", "http://bucket/x", "s3://buc ket/x", "s3://b/a//c",
                          "s3://b/../x", "s3://b/./x", "s3://b/a\nb"}) {
    auto parsed = ParseS3Url(url);
    ASSERT_FALSE(parsed.ok()) << url;
    EXPECT_EQ(parsed.status().code(), Code::kInvalidArgument) << url;
  }
}

TEST(S3UrlTest, ObjectKeysFanOutLikeTheLocalStore) {
  ObjectId id = IdOf("hello\n");
  std::string hex = ObjectHex(id);
  EXPECT_EQ(S3ObjectKey("", id), "objects/58/91/" + hex);
  EXPECT_EQ(S3ObjectKey("a/b", id), "a/b/objects/58/91/" + hex);
}

S3Settings Settings(std::string endpoint, bool path_style) {
  S3Settings s;
  s.endpoint = std::move(endpoint);
  s.region = "eu-west-1";
  s.path_style = path_style;
  return s;
}

TEST(S3RemoteTest, VirtualHostAndPathStyleUrls) {
  ObjectId id = IdOf("hello\n");
  std::string hex = ObjectHex(id);
  auto aws = S3Remote::Create({"bucket", "p q"}, Settings("", false));
  ASSERT_TRUE(aws.ok()) << aws.status().message();
  EXPECT_EQ((*aws)->host(), "bucket.s3.eu-west-1.amazonaws.com");
  EXPECT_EQ((*aws)->ObjectUrl(id), "https://bucket.s3.eu-west-1.amazonaws.com/p%20q/objects/58/91/" + hex);
  EXPECT_EQ((*aws)->Describe(), "s3://bucket/p q");

  auto local = S3Remote::Create({"bucket", ""}, Settings("http://127.0.0.1:4568/", true));
  ASSERT_TRUE(local.ok()) << local.status().message();
  EXPECT_EQ((*local)->host(), "127.0.0.1:4568");
  EXPECT_EQ((*local)->ObjectUrl(id), "http://127.0.0.1:4568/bucket/objects/58/91/" + hex);
  EXPECT_EQ((*local)->Describe(), "s3://bucket");
}

TEST(S3RemoteTest, BucketsThatAreNotHostLabelsUsePathStyle) {
  auto dotted = S3Remote::Create({"my.bucket", ""}, Settings("", false));
  ASSERT_TRUE(dotted.ok());
  EXPECT_EQ((*dotted)->host(), "s3.eu-west-1.amazonaws.com");  // https and a dot: path style
  auto upper = S3Remote::Create({"Legacy_Bucket", ""}, Settings("http://minio.test:9000", false));
  ASSERT_TRUE(upper.ok());
  EXPECT_EQ((*upper)->host(), "minio.test:9000");
  auto dotted_http = S3Remote::Create({"my.bucket", ""}, Settings("http://minio.test:9000", false));
  ASSERT_TRUE(dotted_http.ok());
  EXPECT_EQ((*dotted_http)->host(), "my.bucket.minio.test:9000");
}

TEST(S3RemoteTest, RefusesBadEndpointsAndRegions) {
  for (const char* endpoint : {"127.0.0.1:9000", "ftp://host", "http://", "http://host/path", "http://a b",
                               "http://user@host"}) {
    EXPECT_FALSE(S3Remote::Create({"b", ""}, Settings(endpoint, true)).ok()) << endpoint;
  }
  S3Settings bad = Settings("", false);
  bad.region = "us-east-1.evil.com/";
  EXPECT_FALSE(S3Remote::Create({"b", ""}, bad).ok());
}

HttpResponse Response(long status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

TEST(S3ErrorTest, NamesStatusAndS3Code) {
  Status s = S3ResponseError("s3://b/p: PUT objects/ab/cd/x",
                             Response(403, "<?xml version=\"1.0\"?><Error><Code>SignatureDoesNotMatch</Code>"
                                           "<Message>The request signature...</Message></Error>"));
  EXPECT_EQ(s.message(), "s3://b/p: PUT objects/ab/cd/x: 403 SignatureDoesNotMatch");
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_FALSE(IsRetryable(s));
  EXPECT_EQ(S3ResponseError("w", Response(403, "")).message(), "w: 403 Forbidden");
  EXPECT_EQ(S3ResponseError("w", Response(404, "<Code>NoSuchKey</Code>")).code(), Code::kNotFound);
  EXPECT_EQ(S3ResponseError("w", Response(404, "<Code>NoSuchBucket</Code>")).code(), Code::kInvalidArgument);
  EXPECT_EQ(S3ResponseError("w", Response(299, "<Code>bad\ncode</Code>")).message(), "w: 299");
}

TEST(S3ErrorTest, ThrottlingTimeoutsAndServerErrorsAreRetryable) {
  EXPECT_TRUE(IsRetryable(S3ResponseError("w", Response(500, ""))));
  EXPECT_TRUE(IsRetryable(S3ResponseError("w", Response(503, "<Error><Code>SlowDown</Code></Error>"))));
  EXPECT_TRUE(IsRetryable(S3ResponseError("w", Response(429, ""))));
  EXPECT_TRUE(IsRetryable(S3ResponseError("w", Response(400, "<Error><Code>RequestTimeout</Code></Error>"))));
  EXPECT_FALSE(IsRetryable(S3ResponseError("w", Response(400, "<Error><Code>InvalidRequest</Code></Error>"))));
}

TEST(S3ErrorTest, WrongRegionRedirectSaysWhichRegion) {
  HttpResponse r = Response(301, "<Error><Code>PermanentRedirect</Code></Error>");
  r.headers["x-amz-bucket-region"] = "eu-west-3";
  EXPECT_EQ(S3ResponseError("w", r).message(), "w: 301 PermanentRedirect (the bucket is in region eu-west-3: set AWS_REGION)");
}

TEST(S3RemoteTest, ConnectionRefusedIsRetryableAndNamesTheObject) {
  auto remote = S3Remote::Create({"bucket", "pre"}, Settings("http://127.0.0.1:1", true));
  ASSERT_TRUE(remote.ok());
  ObjectId id = IdOf("x");
  auto has = (*remote)->Has(id);
  ASSERT_FALSE(has.ok());
  EXPECT_TRUE(IsRetryable(has.status()));
  EXPECT_NE(has.status().message().find("s3://bucket/pre: HEAD objects/"), std::string::npos) << has.status().message();
  EXPECT_EQ(has.status().message().find('\n'), std::string::npos);
  std::string dest = testing::TempDir() + "/gm-s3-refused";
  Status got = (*remote)->Get(id, dest);
  EXPECT_TRUE(IsRetryable(got)) << got.message();
  EXPECT_NE(got.message().find("GET objects/"), std::string::npos) << got.message();
  EXPECT_FALSE(std::filesystem::exists(dest));
}

TEST(OpenRemoteTest, DispatchesOnTheScheme) {
  auto file = OpenRemote("file:///tmp/somewhere");
  ASSERT_TRUE(file.ok()) << file.status().message();
  EXPECT_EQ((*file)->Describe(), "file:///tmp/somewhere");
  S3Settings s3 = Settings("http://127.0.0.1:9", true);
  s3.access_key = "k";
  s3.secret_key = "s";
  auto bucket = OpenRemote("s3://bucket/prefix/", s3);
  ASSERT_TRUE(bucket.ok()) << bucket.status().message();
  EXPECT_EQ((*bucket)->Describe(), "s3://bucket/prefix");
  auto other = OpenRemote("https://example.com/x");
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.status().code(), Code::kInvalidArgument);
}

}  // namespace
}  // namespace gitmodel
