// The signed examples here are AWS's own, from "Signature Calculations for the Authorization
// Header" and "Authenticating Requests: Using Query Parameters" (Amazon S3 API reference), so the
// verifier is checked against signatures computed elsewhere.
#include "datacache/sigv4_verifier.h"

#include <gtest/gtest.h>

namespace mlcost::datacache {
namespace {

const s3::SigV4Credentials kAwsExample{"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ""};
constexpr Micros k20130524 = 1369353600LL * kMicrosPerSecond;  // 2013-05-24T00:00:00Z

IncomingRequest AwsGetObject() {
  IncomingRequest r;
  r.method = "GET";
  r.raw_path = "/test.txt";
  r.headers = {
      {"Host", "examplebucket.s3.amazonaws.com"},
      {"Range", "bytes=0-9"},
      {"x-amz-content-sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
      {"x-amz-date", "20130524T000000Z"},
      {"Authorization",
       "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
       "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"
       "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"}};
  return r;
}

IncomingRequest AwsPresigned() {
  IncomingRequest r;
  r.method = "GET";
  r.raw_path = "/test.txt";
  r.raw_query =
      "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2F"
      "aws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature="
      "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";
  r.headers = {{"Host", "examplebucket.s3.amazonaws.com"}};
  return r;
}

TEST(SigV4VerifierTest, AcceptsAwsHeaderExample) {
  FakeClock clock(k20130524 + 60 * kMicrosPerSecond);
  SigV4Verifier verifier(kAwsExample, clock);
  auto error = verifier.Verify(AwsGetObject());
  EXPECT_FALSE(error.has_value()) << error->code << ": " << error->message;
}

TEST(SigV4VerifierTest, AcceptsAwsPresignedExampleUntilItExpires) {
  FakeClock clock(k20130524 + 3600 * kMicrosPerSecond);
  SigV4Verifier verifier(kAwsExample, clock);
  auto error = verifier.Verify(AwsPresigned());
  EXPECT_FALSE(error.has_value()) << error->code << ": " << error->message;
  clock.Set(k20130524 + 86401 * kMicrosPerSecond);
  error = verifier.Verify(AwsPresigned());
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->http_status, 403);
  EXPECT_EQ(error->code, "AccessDenied");
}

TEST(SigV4VerifierTest, RefusesWrongSecretTamperedRequestAndUnknownKey) {
  FakeClock clock(k20130524);
  SigV4Verifier wrong_secret({kAwsExample.access_key, "not-the-secret", ""}, clock);
  auto error = wrong_secret.Verify(AwsGetObject());
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->code, "SignatureDoesNotMatch");
  EXPECT_EQ(error->http_status, 403);

  SigV4Verifier verifier(kAwsExample, clock);
  IncomingRequest tampered = AwsGetObject();
  tampered.raw_path = "/other.txt";
  EXPECT_EQ(verifier.Verify(tampered)->code, "SignatureDoesNotMatch");
  IncomingRequest range = AwsGetObject();
  range.headers[1].second = "bytes=0-99";
  EXPECT_EQ(verifier.Verify(range)->code, "SignatureDoesNotMatch");
  IncomingRequest presigned = AwsPresigned();
  presigned.raw_path = "/../test.txt";
  EXPECT_EQ(verifier.Verify(presigned)->code, "SignatureDoesNotMatch");

  SigV4Verifier other_key({"SOMEONEELSE", kAwsExample.secret_key, ""}, clock);
  EXPECT_EQ(other_key.Verify(AwsGetObject())->code, "InvalidAccessKeyId");
}

TEST(SigV4VerifierTest, RefusesSkewedClockMissingSignatureAndMalformedHeaders) {
  FakeClock clock(k20130524 + 16 * 60 * kMicrosPerSecond);
  SigV4Verifier verifier(kAwsExample, clock);
  EXPECT_EQ(verifier.Verify(AwsGetObject())->code, "RequestTimeTooSkewed");
  clock.Set(k20130524 - 16 * 60 * kMicrosPerSecond);
  EXPECT_EQ(verifier.Verify(AwsGetObject())->code, "RequestTimeTooSkewed");
  clock.Set(k20130524);

  IncomingRequest unsigned_request = AwsGetObject();
  unsigned_request.headers.pop_back();
  auto error = verifier.Verify(unsigned_request);
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->code, "AccessDenied");

  IncomingRequest v2 = AwsGetObject();
  v2.headers.back().second = "AWS AKIAIOSFODNN7EXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg=";
  EXPECT_EQ(verifier.Verify(v2)->http_status, 400);

  IncomingRequest malformed = AwsGetObject();
  malformed.headers.back().second = "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request";
  EXPECT_EQ(verifier.Verify(malformed)->code, "AuthorizationHeaderMalformed");

  IncomingRequest missing_header = AwsGetObject();
  missing_header.headers.erase(missing_header.headers.begin() + 1);  // Range was signed
  EXPECT_EQ(verifier.Verify(missing_header)->code, "AccessDenied");
}

TEST(SigV4VerifierTest, ParsesAmzDate) {
  EXPECT_EQ(ParseAmzDate("20130524T000000Z"), k20130524);
  EXPECT_FALSE(ParseAmzDate("2013-05-24T00:00:00Z").has_value());
  EXPECT_FALSE(ParseAmzDate("20130524T000000").has_value());
}

}  // namespace
}  // namespace mlcost::datacache
