#include "checkpoint/open_checkpoint_store.h"

#include <gtest/gtest.h>

#include <cstdlib>

namespace mlcost::checkpoint {
namespace {

TEST(OpenCheckpointStoreTest, LocalForms) {
  for (const char* uri : {"/tmp/ckpt", "./ckpts", "rel/dir"}) {
    auto s = OpenCheckpointStore(uri);
    ASSERT_TRUE(s.ok()) << uri;
    EXPECT_EQ((*s)->uri(), uri);
  }
  auto file = OpenCheckpointStore("file:///mnt/ckpt/proj/");
  ASSERT_TRUE(file.ok());
  EXPECT_EQ((*file)->uri(), "/mnt/ckpt/proj");
}

TEST(OpenCheckpointStoreTest, S3Forms) {
  ::setenv("AWS_ACCESS_KEY_ID", "AK", 1);
  ::setenv("AWS_SECRET_ACCESS_KEY", "SK", 1);
  StoreOptions options;
  options.s3_endpoint = "http://127.0.0.1:1";
  auto s = OpenCheckpointStore("s3://bucket/some/prefix/", options);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ((*s)->uri(), "s3://bucket/some/prefix");
  auto root = OpenCheckpointStore("s3://bucket", options);
  ASSERT_TRUE(root.ok());
  EXPECT_EQ((*root)->uri(), "s3://bucket");
  ::unsetenv("AWS_SECRET_ACCESS_KEY");
  auto no_creds = OpenCheckpointStore("s3://bucket/p", options);
  EXPECT_EQ(no_creds.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(no_creds.status().message().find("AWS_SECRET_ACCESS_KEY"), std::string::npos);
  ::unsetenv("AWS_ACCESS_KEY_ID");
}

TEST(OpenCheckpointStoreTest, Rejects) {
  EXPECT_EQ(OpenCheckpointStore("").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(OpenCheckpointStore("s3://").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(OpenCheckpointStore("s3:///prefix").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(OpenCheckpointStore("gs://b/p").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(OpenCheckpointStore("file://relative").status().code(), StatusCode::kInvalidArgument);
}

TEST(OpenCheckpointStoreTest, JoinStoreUri) {
  EXPECT_EQ(JoinStoreUri("s3://b/p/", "run1"), "s3://b/p/run1");
  EXPECT_EQ(JoinStoreUri("s3://b", "run1"), "s3://b/run1");
  EXPECT_EQ(JoinStoreUri("/mnt/x", "run1"), "/mnt/x/run1");
}

}  // namespace
}  // namespace mlcost::checkpoint
