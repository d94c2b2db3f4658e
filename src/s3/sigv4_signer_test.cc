#include "s3/sigv4_signer.h"

#include <gtest/gtest.h>

namespace mlcost::s3 {
namespace {

// Every expected value below is copied from AWS's published material, never computed by this
// code: the Signature Version 4 test suite (get-vanilla, get-vanilla-query-order-key-case,
// post-sts-token/post-sts-header-before; credentials AKIDEXAMPLE, 2015-08-30T12:36:00Z), the IAM
// guide's derived-signing-key example, and the S3 API reference's header-based-auth examples
// (sig-v4-header-based-auth.html: GET Object with Range, GET Bucket (List Objects)).

constexpr char kSuiteSecret[] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr char kSuiteDate[] = "20150830T123600Z";
constexpr char kS3DocSecret[] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

SigV4Request SuiteGet() {
  SigV4Request r;
  r.method = "GET";
  r.path = "/";
  r.headers = {{"Host", "example.amazonaws.com"}, {"X-Amz-Date", kSuiteDate}};
  return r;
}

TEST(SigV4SignerTest, GetVanillaCanonicalRequest) {
  std::string signed_headers;
  EXPECT_EQ(SigV4Signer::CanonicalRequest(SuiteGet(), &signed_headers),
            "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n"
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(signed_headers, "host;x-amz-date");
}

TEST(SigV4SignerTest, GetVanillaStringToSignAndAuthorization) {
  SigV4Signer signer({"AKIDEXAMPLE", kSuiteSecret, ""}, "us-east-1", "service");
  std::string canonical = SigV4Signer::CanonicalRequest(SuiteGet(), nullptr);
  EXPECT_EQ(signer.StringToSign(canonical, kSuiteDate),
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
            "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63");
  EXPECT_EQ(signer.Authorization(SuiteGet(), kSuiteDate),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
            "SignedHeaders=host;x-amz-date, "
            "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
}

TEST(SigV4SignerTest, QueryParametersAreSorted) {
  SigV4Signer signer({"AKIDEXAMPLE", kSuiteSecret, ""}, "us-east-1", "service");
  SigV4Request r = SuiteGet();
  r.query = {{"Param2", "value2"}, {"Param1", "value1"}};
  EXPECT_EQ(signer.Authorization(r, kSuiteDate),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
            "SignedHeaders=host;x-amz-date, "
            "Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500");
}

TEST(SigV4SignerTest, SessionTokenIsSignedBeforeTheSignature) {
  const std::string token =
      "AQoDYXdzEPT//////////"
      "wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTfl"
      "fKD8YUuwthAx7mSEI/qkPpKPi/"
      "kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvl"
      "Rd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+"
      "scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rv"
      "x3iSIlTJabIQwj2ICCR/oLxBA==";
  // Sign() adds x-amz-date and x-amz-security-token itself (service "service": no content hash).
  SigV4Signer signer({"AKIDEXAMPLE", kSuiteSecret, token}, "us-east-1", "service");
  SigV4Request r;
  r.method = "POST";
  r.headers = {{"host", "example.amazonaws.com"}};
  auto added = signer.Sign(r, kSuiteDate);
  ASSERT_EQ(added.size(), 3u);
  EXPECT_EQ(added[0], (std::pair<std::string, std::string>("x-amz-date", kSuiteDate)));
  EXPECT_EQ(added[1], (std::pair<std::string, std::string>("x-amz-security-token", token)));
  EXPECT_EQ(added[2].first, "Authorization");
  EXPECT_EQ(added[2].second,
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
            "SignedHeaders=host;x-amz-date;x-amz-security-token, "
            "Signature=85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead");
}

TEST(SigV4SignerTest, DerivedSigningKeyExample) {
  SigV4Signer signer({"AKIDEXAMPLE", kSuiteSecret, ""}, "us-east-1", "iam");
  EXPECT_EQ(HexLower(signer.SigningKey("20120215")),
            "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");
}

TEST(SigV4SignerTest, S3GetObjectWithRange) {
  SigV4Signer signer({"AKIAIOSFODNN7EXAMPLE", kS3DocSecret, ""}, "us-east-1", "s3");
  SigV4Request r;
  r.method = "GET";
  r.path = "/test.txt";
  r.headers = {{"Host", "examplebucket.s3.amazonaws.com"}, {"Range", "bytes=0-9"}};
  auto added = signer.Sign(r, "20130524T000000Z");
  ASSERT_EQ(added.size(), 3u);
  EXPECT_EQ(added[1],
            (std::pair<std::string, std::string>(
                "x-amz-content-sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")));
  EXPECT_EQ(added[2].second,
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
            "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
}

TEST(SigV4SignerTest, S3ListObjectsQuery) {
  SigV4Signer signer({"AKIAIOSFODNN7EXAMPLE", kS3DocSecret, ""}, "us-east-1", "s3");
  SigV4Request r;
  r.method = "GET";
  r.path = "/";
  r.query = {{"max-keys", "2"}, {"prefix", "J"}};
  r.headers = {{"Host", "examplebucket.s3.amazonaws.com"}};
  auto added = signer.Sign(r, "20130524T000000Z");
  EXPECT_NE(
      added.back().second.find("Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7"),
      std::string::npos)
      << added.back().second;
}

TEST(SigV4SignerTest, UriEncodeKeepsUnreservedAndOptionallySlash) {
  EXPECT_EQ(UriEncode("a b/ü~.-_", false), "a%20b/%C3%BC~.-_");
  EXPECT_EQ(UriEncode("a/b=c+", true), "a%2Fb%3Dc%2B");
}

TEST(SigV4SignerTest, AmzDateFormatsUtc) {
  // 2015-08-30T12:36:00Z is 1440938160 s after the epoch.
  EXPECT_EQ(AmzDate(Micros{1440938160} * kMicrosPerSecond), "20150830T123600Z");
}

}  // namespace
}  // namespace mlcost::s3
