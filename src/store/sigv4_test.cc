#include "store/sigv4.h"

#include <gtest/gtest.h>

namespace gitmodel {
namespace {

// The examples of AWS's "Signature Calculations for the Authorization Header" page for S3.
constexpr char kEmptySha256[] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
const AwsCredentials kExampleCredentials{"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ""};
constexpr char kExampleDate[] = "20130524T000000Z";

std::string HeaderValue(const HttpHeaders& headers, std::string_view name) {
  for (const auto& [n, v] : headers) {
    if (n == name) return v;
  }
  return "";
}

std::string SignatureOf(const HttpHeaders& headers) {
  std::string auth = HeaderValue(headers, "authorization");
  size_t at = auth.find("Signature=");
  return at == std::string::npos ? "" : auth.substr(at + 10);
}

TEST(SigV4Test, GetObjectExampleOfTheAwsDocs) {
  SigningRequest request{"GET", "examplebucket.s3.amazonaws.com", "/test.txt", {},
                         {{"Range", "bytes=0-9"}}, kEmptySha256};
  EXPECT_EQ(CanonicalRequest(request, kExampleDate, ""),
            "GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n"
            "x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
            "x-amz-date:20130524T000000Z\n\nhost;range;x-amz-content-sha256;x-amz-date\n"
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  HttpHeaders headers = SignS3Request(request, kExampleCredentials, "us-east-1", kExampleDate);
  EXPECT_EQ(HeaderValue(headers, "authorization"),
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
            "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"
            "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
  EXPECT_EQ(HeaderValue(headers, "x-amz-date"), kExampleDate);
  EXPECT_EQ(HeaderValue(headers, "x-amz-content-sha256"), kEmptySha256);
  EXPECT_EQ(HeaderValue(headers, "x-amz-security-token"), "");
}

TEST(SigV4Test, PutObjectExampleEncodesTheKeyOnce) {
  SigningRequest request{"PUT", "examplebucket.s3.amazonaws.com", UriEncode("/test$file.text", true), {},
                         {{"Date", "Fri, 24 May 2013 00:00:00 GMT"},
                          {"x-amz-storage-class", "REDUCED_REDUNDANCY"}},
                         "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072"};
  EXPECT_EQ(request.encoded_path, "/test%24file.text");
  EXPECT_EQ(SignatureOf(SignS3Request(request, kExampleCredentials, "us-east-1", kExampleDate)),
            "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd");
}

TEST(SigV4Test, QueryExamplesAreSortedAndEncoded) {
  SigningRequest lifecycle{"GET", "examplebucket.s3.amazonaws.com", "/", {{"lifecycle", ""}}, {}, kEmptySha256};
  EXPECT_EQ(SignatureOf(SignS3Request(lifecycle, kExampleCredentials, "us-east-1", kExampleDate)),
            "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543");
  SigningRequest list{"GET", "examplebucket.s3.amazonaws.com", "/", {{"prefix", "J"}, {"max-keys", "2"}}, {},
                      kEmptySha256};
  EXPECT_EQ(SignatureOf(SignS3Request(list, kExampleCredentials, "us-east-1", kExampleDate)),
            "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");
}

TEST(SigV4Test, SessionTokenIsSentAndSigned) {
  AwsCredentials credentials = kExampleCredentials;
  credentials.session_token = "token/with+chars";
  SigningRequest request{"HEAD", "127.0.0.1:4568", "/b/objects/ab", {}, {}, kEmptySha256};
  HttpHeaders headers = SignS3Request(request, credentials, "eu-west-1", kExampleDate);
  EXPECT_EQ(HeaderValue(headers, "x-amz-security-token"), "token/with+chars");
  EXPECT_NE(HeaderValue(headers, "authorization").find("SignedHeaders=host;x-amz-content-sha256;x-amz-date;"
                                                       "x-amz-security-token,"),
            std::string::npos);
  EXPECT_NE(HeaderValue(headers, "authorization").find("/20130524/eu-west-1/s3/aws4_request"), std::string::npos);
  EXPECT_NE(SignatureOf(headers), SignatureOf(SignS3Request(request, kExampleCredentials, "eu-west-1", kExampleDate)));
}

TEST(SigV4Test, UriEncodeKeepsUnreservedOnly) {
  EXPECT_EQ(UriEncode("a-z_0.9~/x y+%é", true), "a-z_0.9~/x%20y%2B%25%C3%A9");
  EXPECT_EQ(UriEncode("a/b", false), "a%2Fb");
}

TEST(SigV4Test, AmzDateIsUtc) {
  EXPECT_EQ(AmzDate(std::chrono::system_clock::from_time_t(1369353600)), "20130524T000000Z");
}

}  // namespace
}  // namespace gitmodel
