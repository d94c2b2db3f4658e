#include "s3/s3_config.h"

#include <gtest/gtest.h>

#include <cstdlib>

namespace mlcost::s3 {
namespace {

class S3ConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : kVars) ::unsetenv(name);
    ::setenv("AWS_ACCESS_KEY_ID", "AK", 1);
    ::setenv("AWS_SECRET_ACCESS_KEY", "SK", 1);
  }
  void TearDown() override {
    for (const char* name : kVars) ::unsetenv(name);
  }
  static constexpr const char* kVars[] = {
      "AWS_REGION",        "AWS_DEFAULT_REGION",  "MLCOST_S3_ENDPOINT_URL",
      "AWS_ENDPOINT_URL",  "AWS_ACCESS_KEY_ID",   "AWS_SECRET_ACCESS_KEY",
      "AWS_SESSION_TOKEN", "MLCOST_S3_PART_SIZE", "AWS_CA_BUNDLE"};
};

TEST_F(S3ConfigTest, DefaultsToAwsInUsEast1) {
  auto c = S3Config::FromEnvironment();
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->endpoint, "https://s3.us-east-1.amazonaws.com");
  EXPECT_EQ(c->region, "us-east-1");
  EXPECT_EQ(c->access_key, "AK");
  EXPECT_EQ(c->secret_key, "SK");
  EXPECT_EQ(c->session_token, "");
  EXPECT_EQ(c->part_size, 64u << 20);
}

TEST_F(S3ConfigTest, EndpointPrecedence) {
  ::setenv("AWS_DEFAULT_REGION", "eu-west-1", 1);
  EXPECT_EQ(S3Config::FromEnvironment()->endpoint, "https://s3.eu-west-1.amazonaws.com");
  ::setenv("AWS_REGION", "eu-central-1", 1);
  EXPECT_EQ(S3Config::FromEnvironment()->region, "eu-central-1");
  ::setenv("AWS_ENDPOINT_URL", "http://aws-endpoint:1", 1);
  EXPECT_EQ(S3Config::FromEnvironment()->endpoint, "http://aws-endpoint:1");
  ::setenv("MLCOST_S3_ENDPOINT_URL", "http://mlcost-endpoint:2/", 1);
  EXPECT_EQ(S3Config::FromEnvironment()->endpoint, "http://mlcost-endpoint:2");
  EXPECT_EQ(S3Config::FromEnvironment("http://127.0.0.1:3")->endpoint, "http://127.0.0.1:3");
}

TEST_F(S3ConfigTest, RejectsBadInput) {
  EXPECT_EQ(S3Config::FromEnvironment("ftp://x").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(S3Config::FromEnvironment("http://host/path").status().code(), StatusCode::kInvalidArgument);
  ::setenv("MLCOST_S3_PART_SIZE", "-5", 1);
  EXPECT_EQ(S3Config::FromEnvironment().status().code(), StatusCode::kInvalidArgument);
  ::setenv("MLCOST_S3_PART_SIZE", "1048576", 1);
  EXPECT_EQ(S3Config::FromEnvironment()->part_size, 1048576u);
  ::unsetenv("AWS_SECRET_ACCESS_KEY");
  auto missing = S3Config::FromEnvironment();
  EXPECT_EQ(missing.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(missing.status().message().find("AWS_SECRET_ACCESS_KEY"), std::string::npos);
}

TEST_F(S3ConfigTest, SessionTokenAndCaBundle) {
  ::setenv("AWS_SESSION_TOKEN", "tok", 1);
  ::setenv("AWS_CA_BUNDLE", "/etc/ca.pem", 1);
  EXPECT_EQ(S3Config::FromEnvironment()->session_token, "tok");
  EXPECT_EQ(S3Config::FromEnvironment()->ca_bundle, "/etc/ca.pem");
}

}  // namespace
}  // namespace mlcost::s3
