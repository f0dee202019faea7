#include "store/aws_config.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace gitmodel {
namespace {

class AwsConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    home_ = std::filesystem::temp_directory_path() /
            ("gm-aws-" + std::to_string(getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(home_);
    std::filesystem::create_directories(home_ / ".aws");
    env_["HOME"] = home_.string();
  }
  void TearDown() override { std::filesystem::remove_all(home_); }

  void Write(const std::string& relative, const std::string& text) {
    std::ofstream(home_ / relative) << text;
  }
  Result<S3Settings> Resolve(const S3Settings& given = {}) {
    return ResolveS3Settings(given, [this](const std::string& name) -> std::optional<std::string> {
      auto it = env_.find(name);
      if (it == env_.end()) return std::nullopt;
      return it->second;
    });
  }

  std::filesystem::path home_;
  std::map<std::string, std::string> env_;
};

constexpr char kCredentials[] =
    "# comment\n[default]\naws_access_key_id = DEFAULTKEY\naws_secret_access_key = defaultsecret\n\n"
    "[team]\r\naws_access_key_id=TEAMKEY\r\naws_secret_access_key=team/secret+x\r\naws_session_token = tok\r\n";
constexpr char kConfig[] =
    "[default]\nregion = eu-central-1\n; another comment\n"
    "[profile team]\nregion = ap-south-1\ns3 =\n  endpoint_url = http://minio.test:9000\n"
    "  addressing_style = virtual\n"
    "[profile other]\nregion = us-west-2\naws_access_key_id = CONFIGKEY\naws_secret_access_key = configsecret\n"
    "endpoint_url = https://other.test\n";

TEST_F(AwsConfigTest, DefaultsWithNothingConfigured) {
  auto s3 = Resolve();
  ASSERT_TRUE(s3.ok()) << s3.status().message();
  EXPECT_EQ(s3->region, "us-east-1");
  EXPECT_EQ(s3->endpoint, "");
  EXPECT_FALSE(s3->path_style);
  EXPECT_EQ(s3->access_key, "");
}

TEST_F(AwsConfigTest, DefaultProfileFromBothFiles) {
  Write(".aws/credentials", kCredentials);
  Write(".aws/config", kConfig);
  auto s3 = Resolve();
  ASSERT_TRUE(s3.ok()) << s3.status().message();
  EXPECT_EQ(s3->access_key, "DEFAULTKEY");
  EXPECT_EQ(s3->secret_key, "defaultsecret");
  EXPECT_EQ(s3->session_token, "");
  EXPECT_EQ(s3->region, "eu-central-1");
}

TEST_F(AwsConfigTest, NamedProfileWithNestedS3Section) {
  Write(".aws/credentials", kCredentials);
  Write(".aws/config", kConfig);
  env_["AWS_PROFILE"] = "team";
  auto s3 = Resolve();
  ASSERT_TRUE(s3.ok()) << s3.status().message();
  EXPECT_EQ(s3->access_key, "TEAMKEY");
  EXPECT_EQ(s3->secret_key, "team/secret+x");
  EXPECT_EQ(s3->session_token, "tok");
  EXPECT_EQ(s3->region, "ap-south-1");
  EXPECT_EQ(s3->endpoint, "http://minio.test:9000");
  EXPECT_FALSE(s3->path_style);  // addressing_style = virtual
}

TEST_F(AwsConfigTest, CredentialsInTheConfigFileAndEndpointMeansPathStyle) {
  Write(".aws/config", kConfig);
  env_["AWS_PROFILE"] = "other";
  auto s3 = Resolve();
  ASSERT_TRUE(s3.ok()) << s3.status().message();
  EXPECT_EQ(s3->access_key, "CONFIGKEY");
  EXPECT_EQ(s3->endpoint, "https://other.test");
  EXPECT_TRUE(s3->path_style);
}

TEST_F(AwsConfigTest, EnvironmentBeatsFilesAndExplicitBeatsEnvironment) {
  Write(".aws/credentials", kCredentials);
  Write(".aws/config", kConfig);
  env_["AWS_PROFILE"] = "team";
  env_["AWS_ACCESS_KEY_ID"] = "ENVKEY";
  env_["AWS_SECRET_ACCESS_KEY"] = "envsecret";
  env_["AWS_DEFAULT_REGION"] = "sa-east-1";
  env_["AWS_ENDPOINT_URL"] = "http://generic:1";
  auto s3 = Resolve();
  ASSERT_TRUE(s3.ok()) << s3.status().message();
  EXPECT_EQ(s3->access_key, "ENVKEY");
  EXPECT_EQ(s3->session_token, "");  // the profile's token does not leak into env credentials
  EXPECT_EQ(s3->region, "sa-east-1");
  EXPECT_EQ(s3->endpoint, "http://generic:1");

  env_["AWS_REGION"] = "eu-north-1";
  env_["AWS_ENDPOINT_URL_S3"] = "http://s3only:2";
  env_["AWS_SESSION_TOKEN"] = "envtoken";
  s3 = Resolve();
  ASSERT_TRUE(s3.ok());
  EXPECT_EQ(s3->region, "eu-north-1");
  EXPECT_EQ(s3->endpoint, "http://s3only:2");
  EXPECT_EQ(s3->session_token, "envtoken");

  S3Settings given;
  given.region = "given-region";
  given.access_key = "GIVEN";
  given.secret_key = "givensecret";
  s3 = Resolve(given);
  ASSERT_TRUE(s3.ok());
  EXPECT_EQ(s3->region, "given-region");
  EXPECT_EQ(s3->access_key, "GIVEN");
  EXPECT_EQ(s3->session_token, "");
}

TEST_F(AwsConfigTest, FileOverridesByEnvironment) {
  Write("creds-elsewhere", "[default]\naws_access_key_id = ELSEWHERE\naws_secret_access_key = s\n");
  Write("config-elsewhere", "[default]\nregion = me-south-1\n");
  Write(".aws/credentials", kCredentials);
  env_["AWS_SHARED_CREDENTIALS_FILE"] = (home_ / "creds-elsewhere").string();
  env_["AWS_CONFIG_FILE"] = "~/config-elsewhere";
  auto s3 = Resolve();
  ASSERT_TRUE(s3.ok()) << s3.status().message();
  EXPECT_EQ(s3->access_key, "ELSEWHERE");
  EXPECT_EQ(s3->region, "me-south-1");
}

TEST_F(AwsConfigTest, DevNullDisablesAFile) {
  Write(".aws/config", kConfig);
  env_["AWS_CONFIG_FILE"] = "/dev/null";
  auto s3 = Resolve();
  ASSERT_TRUE(s3.ok()) << s3.status().message();
  EXPECT_EQ(s3->region, "us-east-1");
}

TEST_F(AwsConfigTest, UnknownNamedProfileIsAnError) {
  Write(".aws/credentials", kCredentials);
  env_["AWS_PROFILE"] = "nosuch";
  auto s3 = Resolve();
  ASSERT_FALSE(s3.ok());
  EXPECT_EQ(s3.status().code(), Code::kInvalidArgument);
  EXPECT_NE(s3.status().message().find("'nosuch'"), std::string::npos) << s3.status().message();
}

TEST_F(AwsConfigTest, MalformedFileNamesFileAndLine) {
  Write(".aws/config", "[default]\nregion = x\nthis is not a setting\n");
  auto s3 = Resolve();
  ASSERT_FALSE(s3.ok());
  EXPECT_NE(s3.status().message().find("config:3: expected 'key = value'"), std::string::npos)
      << s3.status().message();
}

TEST(AwsIniTest, ParsesSectionsNestedKeysAndComments) {
  auto ini = ParseAwsIni("[a]\nk = v = w\ns3 =\n\tx = 1\ny = 2\n  z = 3\n[ b ]\n#c\n", "f");
  ASSERT_TRUE(ini.ok()) << ini.status().message();
  EXPECT_EQ((*ini)["a"]["k"], "v = w");
  EXPECT_EQ((*ini)["a"]["s3.x"], "1");
  EXPECT_EQ((*ini)["a"]["y"], "2");
  EXPECT_EQ((*ini)["a"]["z"], "3");  // indented under a key with a value: a plain key
  EXPECT_TRUE(ini->contains("b"));
  EXPECT_FALSE(ParseAwsIni("k = v\n", "f").ok());
  EXPECT_FALSE(ParseAwsIni("[open\n", "f").ok());
}

}  // namespace
}  // namespace gitmodel
