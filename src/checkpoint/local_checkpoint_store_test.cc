#include "checkpoint/local_checkpoint_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>

#include "common/sha256.h"

namespace mlcost::checkpoint {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

class LocalCheckpointStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("local_ckpt_test_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "src");
    options_.clock = &clock_;
    options_.warn = [this](const std::string& w) { warnings_.push_back(w); };
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& content) {
    std::string path = (dir_ / "src" / name).string();
    fs::create_directories(fs::path(path).parent_path());
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }
  std::string Root() const { return (dir_ / "store").string(); }
  LocalCheckpointStore Store() { return LocalCheckpointStore(Root(), options_); }
  // Saves one file at the next second of the fake clock.
  Manifest SaveOne(LocalCheckpointStore& store, const std::string& name, const std::string& content,
                   std::optional<int64_t> step = std::nullopt, std::map<std::string, double> metrics = {}) {
    clock_.Advance(kMicrosPerSecond);
    auto m = store.Save(name, {Write(name + ".bin", content)}, step, metrics);
    EXPECT_TRUE(m.ok()) << m.status().ToString();
    return m.ok() ? *m : Manifest{};
  }
  std::vector<std::string> FilesUnder(const fs::path& p) {
    std::vector<std::string> out;
    if (!fs::exists(p)) return out;
    for (const auto& e : fs::recursive_directory_iterator(p))
      out.push_back(fs::relative(e.path(), p).string());
    return out;
  }

  fs::path dir_;
  FakeClock clock_{Micros{1796142000} * kMicrosPerSecond};
  StoreOptions options_;
  std::vector<std::string> warnings_;
};

TEST_F(LocalCheckpointStoreTest, SaveWritesTheContractLayout) {
  auto store = Store();
  std::string model = Write("model.pt", "weights");
  auto m = store.Save("step-000400", {model}, 400, {{"val_loss", 0.25}});
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_THAT(FilesUnder(Root()), UnorderedElementsAre("step-000400", "step-000400/MANIFEST.json",
                                                       "step-000400/data", "step-000400/data/model.pt"));
  std::ifstream in(Root() + "/step-000400/MANIFEST.json");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto parsed = ParseManifest(text, "step-000400");
  ASSERT_TRUE(parsed.ok()) << text;
  EXPECT_EQ(parsed->created_at, "2026-12-01T16:20:00.000000Z");
  EXPECT_EQ(parsed->step, 400);
  EXPECT_EQ(parsed->metrics.at("val_loss"), 0.25);
  ASSERT_EQ(parsed->files.size(), 1u);
  EXPECT_EQ(parsed->files[0].path, "model.pt");
  EXPECT_EQ(parsed->files[0].size, 7u);
  EXPECT_EQ(parsed->files[0].sha256, Sha256File(model)->sha256);
}

TEST_F(LocalCheckpointStoreTest, SaveRefusesBadInputAndDuplicates) {
  auto store = Store();
  EXPECT_EQ(store.Save("bad name", {Write("x", "1")}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store.Save("a", std::vector<std::string>{}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store.Save("a", {Write("d1/x", "1"), Write("d2/x", "2")}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store.Save("a", {(dir_ / "src/nope").string()}).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store.Save("a", {(dir_ / "src").string()}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(FilesUnder(Root()), IsEmpty()) << "failed saves leave nothing";
  SaveOne(store, "a", "1");
  auto again = store.Save("a", {Write("y", "2")});
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);
}

TEST_F(LocalCheckpointStoreTest, ListAndLatestInCreatedAtOrder) {
  auto store = Store();
  SaveOne(store, "b-second", "2", 2);
  SaveOne(store, "a-third", "3", 3);
  SaveOne(store, "c-first", "1", 1);  // newest by time although lowest step
  auto list = store.List();
  ASSERT_TRUE(list.ok());
  std::vector<std::string> names;
  for (const auto& e : *list) names.push_back(e.name);
  EXPECT_THAT(names, ElementsAre("b-second", "a-third", "c-first"));
  auto latest = store.Latest();
  ASSERT_TRUE(latest.ok());
  EXPECT_EQ(latest->name, "c-first");
  auto fetched = store.Fetch("c-first", "/unused");
  ASSERT_TRUE(fetched.ok());
  EXPECT_THAT(*fetched, ElementsAre(Root() + "/c-first/data/c-first.bin")) << "local fetch is in place";
  EXPECT_THAT(warnings_, IsEmpty());
}

TEST_F(LocalCheckpointStoreTest, EmptyOrMissingStoreHasNoLatest) {
  auto store = Store();
  EXPECT_EQ(store.Latest().status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(store.List()->empty());
}

TEST_F(LocalCheckpointStoreTest, TamperedTruncatedAndMissingFilesAreDetectedAndSkipped) {
  auto store = Store();
  SaveOne(store, "good", "good data", 1);
  SaveOne(store, "flipped", "0123456789", 2);
  SaveOne(store, "truncated", "0123456789", 3);
  SaveOne(store, "missing", "0123456789", 4);
  SaveOne(store, "broken-manifest", "0123456789", 5);
  std::ofstream(Root() + "/flipped/data/flipped.bin", std::ios::binary) << "0123456780";  // same size
  fs::resize_file(Root() + "/truncated/data/truncated.bin", 4);
  fs::remove(Root() + "/missing/data/missing.bin");
  std::ofstream(Root() + "/broken-manifest/MANIFEST.json") << "{\"format\": \"mlcost-checkpoint/1\"";

  auto verify = [&](const std::string& name) {
    auto r = store.Verify(name);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? r->problem : "?";
  };
  EXPECT_EQ(verify("good"), "");
  EXPECT_THAT(verify("flipped"), HasSubstr("file 'flipped.bin': sha256 is"));
  EXPECT_THAT(verify("truncated"), HasSubstr("file 'truncated.bin' is 4 bytes, the manifest says 10"));
  EXPECT_THAT(verify("missing"), HasSubstr("file 'missing.bin' is missing"));
  EXPECT_THAT(verify("broken-manifest"), HasSubstr("not valid JSON"));
  EXPECT_EQ(store.Verify("nope").status().code(), StatusCode::kNotFound);

  auto latest = store.Latest();
  ASSERT_TRUE(latest.ok()) << latest.status().ToString();
  EXPECT_EQ(latest->name, "good");
  ASSERT_EQ(warnings_.size(), 3u) << "the three newer parsed ones are skipped with a warning";
  EXPECT_THAT(warnings_[0], HasSubstr("skipping checkpoint 'missing': file 'missing.bin' is missing"));
  EXPECT_THAT(warnings_[1], HasSubstr("skipping checkpoint 'truncated'"));
  EXPECT_THAT(warnings_[2], HasSubstr("skipping checkpoint 'flipped'"));

  auto all = store.VerifyAll();
  ASSERT_TRUE(all.ok());
  int bad = 0;
  for (const auto& r : *all) bad += r.valid() ? 0 : 1;
  EXPECT_EQ(bad, 4);
}

TEST_F(LocalCheckpointStoreTest, DataWithoutManifestIsNotACheckpointAndIsReplaced) {
  auto store = Store();
  fs::create_directories(Root() + "/crashed/data");
  std::ofstream(Root() + "/crashed/data/old.bin") << "partial";
  EXPECT_TRUE(store.List()->empty());
  auto m = store.Save("crashed", {Write("new.bin", "complete")});
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_THAT(FilesUnder(Root() + "/crashed/data"), ElementsAre("new.bin"));
}

TEST_F(LocalCheckpointStoreTest, DeleteRemovesManifestAndData) {
  auto store = Store();
  SaveOne(store, "x", "1");
  ASSERT_TRUE(store.Delete("x").ok());
  EXPECT_THAT(FilesUnder(Root()), IsEmpty());
  EXPECT_EQ(store.Delete("x").code(), StatusCode::kNotFound);
}

TEST_F(LocalCheckpointStoreTest, GcKeepsNewestAndBestAndDeletesOlderInvalid) {
  auto store = Store();
  SaveOne(store, "s1", "1", 1, {{"loss", 0.9}});
  SaveOne(store, "s2", "2", 2, {{"loss", 0.2}});  // best
  SaveOne(store, "s3", "3", 3, {{"loss", 0.5}});
  SaveOne(store, "s4", "4", 4, {{"loss", 0.1}});  // better, but tampered below
  SaveOne(store, "s5", "5", 5, {{"loss", 0.7}});
  SaveOne(store, "s6", "6", 6, {{"loss", 0.8}});
  std::ofstream(Root() + "/s4/data/s4.bin") << "X";
  RetentionPolicy policy;
  policy.keep_last = 2;
  policy.keep_best = 1;
  policy.metric = "loss";
  auto gc = store.Gc(policy);
  ASSERT_TRUE(gc.ok()) << gc.status().ToString();
  EXPECT_THAT(gc->kept, UnorderedElementsAre("s6", "s5", "s2"));
  EXPECT_THAT(gc->deleted, UnorderedElementsAre("s1", "s3", "s4"));
  std::vector<std::string> left;
  auto listed = store.List();
  ASSERT_TRUE(listed.ok());
  for (const auto& e : *listed) left.push_back(e.name);
  EXPECT_THAT(left, ElementsAre("s2", "s5", "s6"));
  EXPECT_THAT(FilesUnder(Root()),
              UnorderedElementsAre("s2", "s2/MANIFEST.json", "s2/data", "s2/data/s2.bin", "s5",
                                   "s5/MANIFEST.json", "s5/data", "s5/data/s5.bin", "s6", "s6/MANIFEST.json",
                                   "s6/data", "s6/data/s6.bin"));
  policy.keep_last = 0;
  EXPECT_EQ(store.Gc(policy).status().code(), StatusCode::kInvalidArgument);
}

// Fault injection: the save runs in a child whose file size limit (RLIMIT_FSIZE) is below the
// checkpoint's size, so write() fails with EFBIG part-way through, as on a full disk.
TEST_F(LocalCheckpointStoreTest, FailedWriteLeavesNoCheckpointAndNoTempFiles) {
  std::string small = Write("small.bin", std::string(1000, 's'));
  std::string big = Write("big.bin", std::string(300000, 'b'));
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::close(fds[0]);
    std::signal(SIGXFSZ, SIG_IGN);
    rlimit limit{100000, 100000};
    ::setrlimit(RLIMIT_FSIZE, &limit);
    StoreOptions quiet;
    quiet.clock = &clock_;
    LocalCheckpointStore store(Root(), quiet);
    auto m = store.Save("too-big", {small, big}, 1, {});
    std::string out = m.ok() ? "OK" : m.status().ToString();
    (void)!::write(fds[1], out.data(), out.size());
    ::_exit(0);
  }
  ::close(fds[1]);
  std::string result;
  char buf[512];
  ssize_t n;
  while ((n = ::read(fds[0], buf, sizeof(buf))) > 0) result.append(buf, static_cast<size_t>(n));
  ::close(fds[0]);
  int wstatus = 0;
  ::waitpid(pid, &wstatus, 0);
  ASSERT_TRUE(WIFEXITED(wstatus));
  EXPECT_THAT(result, HasSubstr("RESOURCE_EXHAUSTED"));
  EXPECT_THAT(result, HasSubstr("File too large"));
  EXPECT_THAT(result, HasSubstr("saving checkpoint 'too-big'"));
  EXPECT_THAT(FilesUnder(Root()), IsEmpty()) << "no data, no manifest, no temp file";
  auto store = Store();
  EXPECT_TRUE(store.List()->empty());
  // The same save succeeds without the limit.
  EXPECT_TRUE(store.Save("too-big", {small, big}, 1, {}).ok());
}

}  // namespace
}  // namespace mlcost::checkpoint
