// S3CheckpointStore against a real s3rver (skipped when it is not installed: ./setup.sh).
#include "checkpoint/s3_checkpoint_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "s3/s3rver_process.h"

namespace mlcost::checkpoint {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

class S3CheckpointStoreTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const char* src = std::getenv("MLCOST_SOURCE_DIR");
    std::string binary = s3::S3rverProcess::FindBinary(src == nullptr ? "." : src);
    if (binary.empty()) return;
    dir_ = new fs::path(fs::temp_directory_path() / ("s3_ckpt_test_" + std::to_string(::getpid())));
    auto server = s3::S3rverProcess::Start(binary, (*dir_ / "s3rver").string());
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = server->release();
    ASSERT_TRUE(s3::S3Client(Config()).CreateBucket("ckpts").ok());
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
    prefix_ = std::string("t/") + ::testing::UnitTest::GetInstance()->current_test_info()->name();
    options_.clock = &clock_;
    options_.warn = [this](const std::string& w) { warnings_.push_back(w); };
  }
  static s3::S3Config Config(uint64_t part_size = s3::kDefaultPartSize) {
    s3::S3Config c;
    c.endpoint = server_->endpoint();
    c.access_key = "S3RVER";
    c.secret_key = "S3RVER";
    c.part_size = part_size;
    return c;
  }
  S3CheckpointStore Store(uint64_t part_size = s3::kDefaultPartSize) {
    return S3CheckpointStore(std::make_unique<s3::S3Client>(Config(part_size)), "ckpts", prefix_, options_);
  }
  std::string Write(const std::string& name, const std::string& content) {
    std::string path = (*dir_ / "src" / name).string();
    fs::create_directories(fs::path(path).parent_path());
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }
  std::string Read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  void SaveOne(S3CheckpointStore& store, const std::string& name, const std::string& content,
               std::map<std::string, double> metrics = {}) {
    clock_.Advance(kMicrosPerSecond);
    auto m = store.Save(name, {Write(name + ".bin", content)}, std::nullopt, metrics);
    ASSERT_TRUE(m.ok()) << m.status().ToString();
  }

  static inline s3::S3rverProcess* server_ = nullptr;
  static inline fs::path* dir_ = nullptr;
  std::string prefix_;
  FakeClock clock_{Micros{1796142000} * kMicrosPerSecond};
  StoreOptions options_;
  std::vector<std::string> warnings_;
};

TEST_F(S3CheckpointStoreTest, SaveListLatestFetch) {
  auto store = Store();
  SaveOne(store, "one", "first");
  SaveOne(store, "two", "second");
  s3::S3Client raw(Config());
  auto keys = raw.ListObjectsV2("ckpts", prefix_ + "/");
  ASSERT_TRUE(keys.ok());
  std::vector<std::string> names;
  for (const auto& o : keys->objects) names.push_back(o.key.substr(prefix_.size() + 1));
  EXPECT_THAT(names,
              ElementsAre("one/MANIFEST.json", "one/data/one.bin", "two/MANIFEST.json", "two/data/two.bin"));
  auto latest = store.Latest();
  ASSERT_TRUE(latest.ok()) << latest.status().ToString();
  EXPECT_EQ(latest->name, "two");
  std::string out = (*dir_ / "fetch-one").string();
  auto paths = store.Fetch("one", out);
  ASSERT_TRUE(paths.ok()) << paths.status().ToString();
  EXPECT_THAT(*paths, ElementsAre(out + "/one.bin"));
  EXPECT_EQ(Read((*paths)[0]), "first");
  EXPECT_EQ(store.Save("one", {Write("x", "y")}).status().code(), StatusCode::kAlreadyExists);
}

TEST_F(S3CheckpointStoreTest, TamperedObjectIsSkippedByLatestAndFetchLatest) {
  auto store = Store();
  SaveOne(store, "good", "good data");
  SaveOne(store, "bad", "0123456789");
  s3::S3Client raw(Config());
  ASSERT_TRUE(raw.PutObject("ckpts", prefix_ + "/bad/data/bad.bin", "0123456780").ok());  // same size
  auto verify = store.Verify("bad");
  ASSERT_TRUE(verify.ok());
  EXPECT_THAT(verify->problem, HasSubstr("file 'bad.bin': sha256 is"));
  auto latest = store.Latest();
  ASSERT_TRUE(latest.ok());
  EXPECT_EQ(latest->name, "good");
  ASSERT_EQ(warnings_.size(), 1u);
  EXPECT_THAT(warnings_[0], HasSubstr("skipping checkpoint 'bad'"));
  std::string out = (*dir_ / "fetch-latest").string();
  auto fetched = store.FetchLatest(out);
  ASSERT_TRUE(fetched.ok()) << fetched.status().ToString();
  EXPECT_EQ(fetched->manifest.name, "good");
  EXPECT_EQ(Read(fetched->paths[0]), "good data");
  EXPECT_FALSE(fs::exists(out + "/bad.bin")) << "a file failing its sha256 is not left behind";
  int entries = 0;
  for (const auto& e : fs::directory_iterator(out)) entries += e.path().filename() == "good.bin" ? 0 : 1;
  EXPECT_EQ(entries, 0) << "no temp litter";
}

TEST_F(S3CheckpointStoreTest, AFailedFetchLeavesNoneOfItsFiles) {
  auto store = Store();
  clock_.Advance(kMicrosPerSecond);
  ASSERT_TRUE(store.Save("two-files", {Write("a-first.bin", "aaaa"), Write("b-second.bin", "bbbb")}).ok());
  s3::S3Client raw(Config());
  ASSERT_TRUE(raw.PutObject("ckpts", prefix_ + "/two-files/data/b-second.bin", "bbbB").ok());
  std::string out = (*dir_ / "fetch-two").string();
  auto paths = store.Fetch("two-files", out);
  ASSERT_FALSE(paths.ok());
  EXPECT_THAT(paths.status().message(), HasSubstr("checkpoint 'two-files': file 'b-second.bin': sha256 is"));
  EXPECT_TRUE(fs::is_empty(out)) << "a-first.bin was fetched, then removed";
}

TEST_F(S3CheckpointStoreTest, MultipartSizedFileRoundTrips) {
  auto store = Store(/*part_size=*/64 * 1024);
  std::string data(200 * 1024 + 17, '\0');
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>(i * 131 + 7);
  clock_.Advance(kMicrosPerSecond);
  auto m = store.Save("big", {Write("big.bin", data)}, 1, {});
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  auto verify = store.Verify("big");
  ASSERT_TRUE(verify.ok());
  EXPECT_TRUE(verify->valid()) << verify->problem;
  auto paths = store.Fetch("big", (*dir_ / "fetch-big").string());
  ASSERT_TRUE(paths.ok()) << paths.status().ToString();
  EXPECT_EQ(Read((*paths)[0]), data);
}

TEST_F(S3CheckpointStoreTest, GcDeletesManifestAndData) {
  auto store = Store();
  SaveOne(store, "a", "1", {{"acc", 0.9}});
  SaveOne(store, "b", "2", {{"acc", 0.1}});
  SaveOne(store, "c", "3", {{"acc", 0.2}});
  RetentionPolicy policy;
  policy.keep_best = 1;
  policy.metric = "acc";
  policy.maximize = true;
  auto gc = store.Gc(policy);
  ASSERT_TRUE(gc.ok()) << gc.status().ToString();
  EXPECT_THAT(gc->kept, UnorderedElementsAre("a", "c"));
  EXPECT_THAT(gc->deleted, ElementsAre("b"));
  auto keys = s3::S3Client(Config()).ListObjectsV2("ckpts", prefix_ + "/b/");
  ASSERT_TRUE(keys.ok());
  EXPECT_TRUE(keys->objects.empty());
}

TEST_F(S3CheckpointStoreTest, MissingBucketIsAClearError) {
  S3CheckpointStore store(std::make_unique<s3::S3Client>(Config()), "no-such-bucket", "", options_);
  auto m = store.Save("x", {Write("x", "1")});
  ASSERT_FALSE(m.ok());
  EXPECT_THAT(m.status().message(), HasSubstr("NoSuchBucket"));
}

}  // namespace
}  // namespace mlcost::checkpoint
