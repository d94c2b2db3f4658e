#include "pricing/provider_names.h"

#include <gtest/gtest.h>

namespace mlcost::pricing {
namespace {

TEST(NormalizeProviderTest, FoldsCaseAndAliases) {
  EXPECT_EQ(NormalizeProvider("AWS"), "aws");
  EXPECT_EQ(NormalizeProvider(" Amazon "), "aws");
  EXPECT_EQ(NormalizeProvider("Google"), "gcp");
  EXPECT_EQ(NormalizeProvider("GCP"), "gcp");
  EXPECT_EQ(NormalizeProvider("Microsoft"), "azure");
  EXPECT_EQ(NormalizeProvider("LambdaLabs"), "lambda");
  EXPECT_EQ(NormalizeProvider("RunPod"), "runpod");
  EXPECT_EQ(NormalizeProvider(""), "");
}

TEST(InferProviderFromPathTest, UsesFileNameThenDirectory) {
  EXPECT_EQ(*InferProviderFromPath("/data/aws_v8_vms.sample.csv"), "aws");
  EXPECT_EQ(*InferProviderFromPath("gcp-vms.csv"), "gcp");
  EXPECT_EQ(*InferProviderFromPath("AZURE.csv"), "azure");
  EXPECT_EQ(*InferProviderFromPath("catalogs/v8/lambda/vms.csv"), "lambda");
}

TEST(InferProviderFromPathTest, UnknownNameIsAnErrorNamingTheFile) {
  for (const char* path : {"prices.csv", "download.csv", "awsome.csv"}) {
    Result<std::string> r = InferProviderFromPath(path);
    ASSERT_FALSE(r.ok()) << path;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(r.status().message().find(path), std::string::npos) << r.status().message();
  }
}

}  // namespace
}  // namespace mlcost::pricing
