// ArtifactStore on a real file system under a temp dir: path confinement, atomic uploads,
// listing and deletion.
#include "tracking/artifact_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "store/test_util.h"

namespace mlcost::tracking {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

void WriteFile(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary);
  out << content;
  ASSERT_TRUE(out.good()) << path;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

class ArtifactStoreTest : public ::testing::Test {
 protected:
  ArtifactStoreTest() : root_(fs::weakly_canonical(dir_.path()).string() + "/artifacts"), store_(root_) {}

  // Uploads `content` to `relative` the way the server does: temp file, then Commit.
  Status Upload(const std::string& relative, const std::string& content) {
    auto temp = store_.NewTempFile();
    if (!temp.ok()) return temp.status();
    WriteFile(*temp, content);
    return store_.Commit(*temp, relative);
  }

  std::vector<std::string> ListPaths(const std::string& relative) {
    auto entries = store_.List(relative);
    EXPECT_TRUE(entries.ok()) << entries.status().ToString();
    std::vector<std::string> out;
    if (entries.ok()) {
      for (const ArtifactEntry& e : *entries) out.push_back(e.path + (e.is_dir ? "/" : ""));
    }
    return out;
  }

  store::TempDir dir_;
  std::string root_;
  ArtifactStore store_;
};

TEST_F(ArtifactStoreTest, RootIsCreatedAndCanonical) {
  EXPECT_TRUE(fs::is_directory(root_));
  EXPECT_EQ(store_.root(), root_);
  auto r = store_.Resolve("");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, root_);
  ArtifactStore slashed(root_ + "/");  // the same root spelled with a trailing slash
  EXPECT_EQ(slashed.root(), root_);
  EXPECT_EQ(slashed.Resolve("").value(), root_);
  EXPECT_EQ(slashed.Resolve("x/y").value(), root_ + "/x/y");
}

TEST_F(ArtifactStoreTest, ResolveStaysInsideTheRoot) {
  EXPECT_EQ(store_.Resolve("a/b.txt").value(), root_ + "/a/b.txt");
  EXPECT_EQ(store_.Resolve("a/./b.txt").value(), root_ + "/a/b.txt");
  EXPECT_EQ(store_.Resolve("a/").value(), root_ + "/a");
  EXPECT_EQ(store_.Resolve("x..y/..z").value(), root_ + "/x..y/..z");  // dots inside names are fine

  const std::vector<std::string> bad = {"..",         "../x",         "/abs",      "/",
                                        "a/../../b",  "a/../b",       "a/..",      std::string("a\0b", 3),
                                        "./../x"};
  for (const std::string& path : bad) {
    auto r = store_.Resolve(path);
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << "path: " << path << " -> " << r.status().ToString();
  }
  EXPECT_THAT(store_.Resolve("../secret").status().message(), HasSubstr("../secret"));
}

TEST_F(ArtifactStoreTest, SymlinksLeadingOutAreRefused) {
  const std::string outside = dir_.path() + "/outside";
  fs::create_directories(outside);
  WriteFile(outside + "/secret", "s");
  fs::create_directory_symlink(outside, root_ + "/out");
  fs::create_symlink(outside + "/secret", root_ + "/secret-link");
  fs::create_directories(root_ + "/real");
  fs::create_directory_symlink(root_ + "/real", root_ + "/in");

  for (const char* path : {"out", "out/secret", "out/new/file", "secret-link"}) {
    EXPECT_EQ(store_.Resolve(path).status().code(), StatusCode::kInvalidArgument) << path;
  }
  EXPECT_EQ(store_.List("out").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store_.Delete("out/secret").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Upload("out/planted", "x").code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(fs::exists(outside + "/secret"));
  EXPECT_FALSE(fs::exists(outside + "/planted"));
  // A link that stays inside the root is followed.
  EXPECT_EQ(store_.Resolve("in/f").value(), root_ + "/real/f");
}

TEST_F(ArtifactStoreTest, CommitCreatesDirectoriesAndReplacesFiles) {
  auto t1 = store_.NewTempFile();
  auto t2 = store_.NewTempFile();
  ASSERT_TRUE(t1.ok() && t2.ok());
  EXPECT_NE(*t1, *t2);
  EXPECT_EQ(t1->rfind(root_ + "/", 0), 0u);  // same file system as the targets: rename is atomic
  WriteFile(*t1, "hello");
  ASSERT_TRUE(store_.Commit(*t1, "model/weights/v1.bin").ok());
  EXPECT_EQ(ReadFile(root_ + "/model/weights/v1.bin"), "hello");
  EXPECT_FALSE(fs::exists(*t1));

  WriteFile(*t2, "replaced!");
  ASSERT_TRUE(store_.Commit(*t2, "model/weights/v1.bin").ok());
  EXPECT_EQ(ReadFile(root_ + "/model/weights/v1.bin"), "replaced!");

  EXPECT_EQ(Upload("", "x").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Upload("../escape", "x").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Upload("model", "x").code(), StatusCode::kInvalidArgument);  // a directory
  EXPECT_EQ(Upload("newdir/", "x").code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(fs::exists(root_ + "/newdir"));
  EXPECT_FALSE(fs::exists(dir_.path() + "/escape"));
  EXPECT_TRUE(fs::is_directory(root_ + "/model"));
}

TEST_F(ArtifactStoreTest, ListIsSortedAndShallow) {
  ASSERT_TRUE(Upload("b.txt", "abc").ok());
  ASSERT_TRUE(Upload("a/x.txt", "12345").ok());
  ASSERT_TRUE(Upload("a/deeper/y.txt", "").ok());
  ASSERT_TRUE(Upload("C.txt", "z").ok());
  ASSERT_TRUE(store_.NewTempFile().ok());  // the uploads folder is not an artifact

  auto entries = store_.List("");
  ASSERT_TRUE(entries.ok()) << entries.status().ToString();
  ASSERT_EQ(entries->size(), 3u);
  EXPECT_EQ((*entries)[0].path, "C.txt");
  EXPECT_EQ((*entries)[0].file_size, 1);
  EXPECT_EQ((*entries)[1].path, "a");
  EXPECT_TRUE((*entries)[1].is_dir);
  EXPECT_FALSE((*entries)[1].file_size.has_value());
  EXPECT_EQ((*entries)[2].path, "b.txt");
  EXPECT_FALSE((*entries)[2].is_dir);
  EXPECT_EQ((*entries)[2].file_size, 3);

  EXPECT_THAT(ListPaths("a"), ElementsAre("a/deeper/", "a/x.txt"));
  EXPECT_THAT(ListPaths("a/"), ElementsAre("a/deeper/", "a/x.txt"));
  EXPECT_THAT(ListPaths("a/deeper"), ElementsAre("a/deeper/y.txt"));
  EXPECT_THAT(ListPaths("missing/dir"), IsEmpty());
  EXPECT_EQ(store_.List(".uploads").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store_.List("./.uploads/").status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(ListPaths("a/.uploads"), IsEmpty());  // reserved only at the root
  EXPECT_EQ(store_.List("b.txt").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store_.List("../").status().code(), StatusCode::kInvalidArgument);
}

TEST_F(ArtifactStoreTest, DeleteFilesAndTrees) {
  ASSERT_TRUE(Upload("keep.txt", "k").ok());
  ASSERT_TRUE(Upload("tree/a.txt", "a").ok());
  ASSERT_TRUE(Upload("tree/sub/b.txt", "b").ok());
  ASSERT_TRUE(store_.Delete("tree/a.txt").ok());
  EXPECT_THAT(ListPaths("tree"), ElementsAre("tree/sub/"));
  ASSERT_TRUE(store_.Delete("tree").ok());
  EXPECT_FALSE(fs::exists(root_ + "/tree"));
  EXPECT_EQ(store_.Delete("tree").code(), StatusCode::kNotFound);
  EXPECT_EQ(store_.Delete("").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store_.Delete("/").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store_.Delete("./").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store_.Delete("../artifacts").code(), StatusCode::kInvalidArgument);
  auto pending = store_.NewTempFile();  // an upload in progress cannot be deleted by a request
  ASSERT_TRUE(pending.ok());
  WriteFile(*pending, "p");
  const std::string pending_rel = fs::path(*pending).lexically_relative(root_).string();
  EXPECT_EQ(store_.Delete(pending_rel).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store_.Delete(".uploads").code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(fs::exists(*pending));
  EXPECT_TRUE(fs::exists(root_ + "/keep.txt"));
  EXPECT_THAT(ListPaths(""), ElementsAre("keep.txt"));
}

}  // namespace
}  // namespace mlcost::tracking
