#include "s3/s3_http.h"

#include <gtest/gtest.h>

namespace mlcost::s3 {
namespace {

TEST(S3HttpTest, HostHeaderDropsOnlyTheSchemesDefaultPort) {
  EXPECT_EQ(HostHeaderFor("http://127.0.0.1:9000"), "127.0.0.1:9000");
  EXPECT_EQ(HostHeaderFor("http://example.com:80"), "example.com");
  EXPECT_EQ(HostHeaderFor("https://example.com:443"), "example.com");
  EXPECT_EQ(HostHeaderFor("https://example.com:80"), "example.com:80");
  EXPECT_EQ(HostHeaderFor("http://example.com"), "example.com");
  EXPECT_EQ(HostHeaderFor("http://[::1]"), "[::1]");
  EXPECT_EQ(HostHeaderFor("http://[::1]:80"), "[::1]");
}

TEST(S3HttpTest, QueryIsEncodedInOrder) {
  EXPECT_EQ(EncodeQuery({}), "");
  EXPECT_EQ(EncodeQuery({{"prefix", "a/b c"}, {"list-type", "2"}}), "?prefix=a%2Fb%20c&list-type=2");
}

}  // namespace
}  // namespace mlcost::s3
