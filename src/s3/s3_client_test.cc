// S3Client against a real s3rver (skipped when tests/node/node_modules has none: run ./setup.sh).
#include "s3/s3_client.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>

#include "s3/s3rver_process.h"

namespace mlcost::s3 {
namespace {

namespace fs = std::filesystem;

class S3ClientTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const char* src = std::getenv("MLCOST_SOURCE_DIR");
    std::string binary = S3rverProcess::FindBinary(src == nullptr ? "." : src);
    if (binary.empty()) return;
    dir_ = new fs::path(fs::temp_directory_path() / ("s3_client_test_" + std::to_string(::getpid())));
    auto server = S3rverProcess::Start(binary, (*dir_ / "s3rver").string());
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = server->release();
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
    if (dir_ != nullptr) fs::remove_all(*dir_);
    delete dir_;
    dir_ = nullptr;
  }
  void SetUp() override {
    ASSERT_NE(server_, nullptr) << "s3rver did not start; ./setup.sh installs it into tests/node";
  }
  static S3Config Config(uint64_t part_size = kDefaultPartSize) {
    S3Config c;
    c.endpoint = server_->endpoint();
    c.access_key = "S3RVER";
    c.secret_key = "S3RVER";
    c.part_size = part_size;
    return c;
  }
  static std::string WriteRandomFile(const std::string& name, size_t size) {
    std::string data(size, '\0');
    std::mt19937 rng(static_cast<unsigned>(size));
    for (char& c : data) c = static_cast<char>(rng());
    std::string path = (*dir_ / name).string();
    std::ofstream(path, std::ios::binary) << data;
    return path;
  }
  static std::string ReadFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }

  static inline S3rverProcess* server_ = nullptr;
  static inline fs::path* dir_ = nullptr;
};

TEST_F(S3ClientTest, PutGetHeadListDelete) {
  S3Client client(Config());
  ASSERT_TRUE(client.CreateBucket("bucket-one").ok());
  ASSERT_TRUE(client.PutObject("bucket-one", "dir/a b+c.txt", "hello").ok());
  auto got = client.GetObject("bucket-one", "dir/a b+c.txt");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(*got, "hello");
  auto head = client.HeadObject("bucket-one", "dir/a b+c.txt");
  ASSERT_TRUE(head.ok()) << head.status().ToString();
  EXPECT_EQ(head->size, 5u);
  EXPECT_GT(head->last_modified, 0);
  auto list = client.ListObjectsV2("bucket-one", "dir/");
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  ASSERT_EQ(list->objects.size(), 1u);
  EXPECT_EQ(list->objects[0].key, "dir/a b+c.txt");
  EXPECT_EQ(list->objects[0].size, 5u);
  ASSERT_TRUE(client.DeleteObject("bucket-one", "dir/a b+c.txt").ok());
  EXPECT_EQ(client.HeadObject("bucket-one", "dir/a b+c.txt").status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(client.DeleteObject("bucket-one", "dir/a b+c.txt").ok()) << "deleting a missing key is OK";
}

TEST_F(S3ClientTest, ErrorsCarryTheS3CodeAndKey) {
  S3Client client(Config());
  auto missing = client.GetObject("no-such-bucket", "k");
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("NoSuchBucket"), std::string::npos) << missing.status().message();
  EXPECT_NE(missing.status().message().find("s3://no-such-bucket/k"), std::string::npos);
  // s3rver checks the access key id but does not verify V4 signatures (the published vectors in
  // sigv4_signer_test.cc cover the signature itself).
  S3Config bad = Config();
  bad.access_key = "NOSUCHKEY";
  ASSERT_TRUE(client.CreateBucket("bucket-two").ok());
  Status denied = S3Client(bad).PutObject("bucket-two", "k", "x");
  EXPECT_EQ(denied.code(), StatusCode::kPermissionDenied) << denied.ToString();
  EXPECT_NE(denied.message().find("InvalidAccessKeyId"), std::string::npos) << denied.message();
}

TEST_F(S3ClientTest, UnreachableEndpointIsUnavailable) {
  S3Config c = Config();
  c.endpoint = "http://127.0.0.1:1";
  Status s = S3Client(c).PutObject("b", "k", "x");
  EXPECT_EQ(s.code(), StatusCode::kUnavailable) << s.ToString();
}

TEST_F(S3ClientTest, ListFollowsContinuationTokens) {
  S3Client client(Config());
  ASSERT_TRUE(client.CreateBucket("many").ok());
  // s3rver pages at 1000 keys, like S3.
  for (int i = 0; i < 1005; ++i) ASSERT_TRUE(client.PutObject("many", "k/" + std::to_string(i), "").ok());
  auto list = client.ListObjectsV2("many", "k/");
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  EXPECT_EQ(list->objects.size(), 1005u);
  auto rolled = client.ListObjectsV2("many", "", "/");
  ASSERT_TRUE(rolled.ok());
  EXPECT_TRUE(rolled->objects.empty());
  EXPECT_EQ(rolled->common_prefixes, std::vector<std::string>{"k/"});
}

TEST_F(S3ClientTest, FileRoundTripSinglePutAndMultipart) {
  const size_t size = 3 * 100000 + 123;
  std::string path = WriteRandomFile("big.bin", size);
  ASSERT_TRUE(S3Client(Config()).CreateBucket("files").ok());
  for (uint64_t part : {uint64_t{kDefaultPartSize}, uint64_t{100000}}) {
    S3Client client(Config(part));
    std::string key = "f-" + std::to_string(part);
    Status put = client.PutObjectFromFile("files", key, path);
    ASSERT_TRUE(put.ok()) << put.ToString();
    std::string back = (*dir_ / ("back-" + key)).string();
    Status get = client.GetObjectToFile("files", key, back);
    ASSERT_TRUE(get.ok()) << get.ToString();
    EXPECT_EQ(ReadFile(back), ReadFile(path)) << "part size " << part;
    auto head = client.HeadObject("files", key);
    ASSERT_TRUE(head.ok());
    EXPECT_EQ(head->size, size);
  }
  // The small part size went through multipart upload: s3rver logs each part request.
  std::string log = ReadFile((*dir_ / "s3rver.log").string());
  EXPECT_NE(log.find("Stored part 4 of"), std::string::npos) << log;
  EXPECT_EQ(log.find("Stored part 5 of"), std::string::npos) << log;
  {}
}

// s3rver does not check the payload hash (S3 does); this checks that a signed hash is accepted.
TEST_F(S3ClientTest, SignedPayloadHash) {
  S3Client client(Config());
  ASSERT_TRUE(client.CreateBucket("hashes").ok());
  std::string path = WriteRandomFile("small.bin", 1000);
  auto digest = Sha256File(path);
  ASSERT_TRUE(digest.ok());
  Status put = client.PutObjectFromFile("hashes", "ok", path, digest->sha256);
  EXPECT_TRUE(put.ok()) << put.ToString();
  EXPECT_EQ(client.HeadObject("hashes", "ok")->size, 1000u);
}

// https: s3rver with a self-signed certificate for 127.0.0.1; trusted through ca_bundle
// ($AWS_CA_BUNDLE), refused without it.
TEST_F(S3ClientTest, HttpsWithAPrivateCa) {
  const std::string key = (*dir_ / "tls-key.pem").string();
  const std::string cert = (*dir_ / "tls-cert.pem").string();
  const std::string cmd =
      "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 -addext "
      "subjectAltName=IP:127.0.0.1 -keyout '" +
      key + "' -out '" + cert + "' 2>/dev/null";
  if (std::system(cmd.c_str()) != 0) GTEST_SKIP() << "openssl cannot make a certificate";
  const char* src = std::getenv("MLCOST_SOURCE_DIR");
  auto tls = S3rverProcess::Start(S3rverProcess::FindBinary(src == nullptr ? "." : src),
                                  (*dir_ / "s3rver-tls").string(), key, cert);
  ASSERT_TRUE(tls.ok()) << tls.status().ToString();
  ASSERT_EQ((*tls)->endpoint().rfind("https://", 0), 0u) << (*tls)->endpoint();
  S3Config c = Config();
  c.endpoint = (*tls)->endpoint();
  Status untrusted = S3Client(c).CreateBucket("tls-bucket");
  EXPECT_EQ(untrusted.code(), StatusCode::kUnavailable) << untrusted.ToString();
  c.ca_bundle = cert;
  S3Client client(c);
  ASSERT_TRUE(client.CreateBucket("tls-bucket").ok());
  ASSERT_TRUE(client.PutObject("tls-bucket", "k", "over tls").ok());
  auto got = client.GetObject("tls-bucket", "k");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(*got, "over tls");
}

}  // namespace
}  // namespace mlcost::s3
