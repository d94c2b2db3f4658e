#include "common/durable_file.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>

namespace mlcost {
namespace {

namespace fs = std::filesystem;

std::string Read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

class CommonDurableFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = ::testing::TempDir() + "mlcost_durable_XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { fs::remove_all(dir_); }
  size_t Entries() {
    size_t n = 0;
    for (const auto& e : fs::directory_iterator(dir_)) n += e.exists() ? 1 : 0;
    return n;
  }
  fs::path dir_;
};

TEST_F(CommonDurableFileTest, ErrnoMapsToStatusCodes) {
  EXPECT_EQ(IoError("x", "p", ENOSPC).code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(IoError("x", "p", EDQUOT).code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(IoError("x", "p", EFBIG).code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(IoError("x", "p", EACCES).code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(IoError("x", "p", EROFS).code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(IoError("x", "p", ENOENT).code(), StatusCode::kNotFound);
  EXPECT_EQ(IoError("x", "p", EIO).code(), StatusCode::kInternal);
  Status s = IoError("cannot open", "/some/where", ENOENT);
  EXPECT_EQ(s.message().rfind("cannot open '/some/where': ", 0), 0u) << s.message();
}

TEST_F(CommonDurableFileTest, DirOfHandlesRootAndBareNames) {
  EXPECT_EQ(DirOf("a/b/c"), "a/b");
  EXPECT_EQ(DirOf("/c"), "/");
  EXPECT_EQ(DirOf("c"), ".");
}

TEST_F(CommonDurableFileTest, AtomicWriteReplacesAndLeavesNoTemp) {
  std::string dest = (dir_ / "f").string();
  ASSERT_TRUE(ReplaceFileAtomically((dir_ / ".t1").string(), dest, "one").ok());
  ASSERT_TRUE(ReplaceFileAtomically((dir_ / ".t2").string(), dest, "two").ok());
  EXPECT_EQ(Read(dest), "two");
  EXPECT_EQ(Entries(), 1u);
}

TEST_F(CommonDurableFileTest, FailedFillRemovesTempAndKeepsDest) {
  std::string dest = (dir_ / "f").string();
  ASSERT_TRUE(ReplaceFileAtomically((dir_ / ".t1").string(), dest, "old").ok());
  Status s = ReplaceFileVia((dir_ / ".t2").string(), dest,
                          [](int, const std::string&) { return Internal("fill failed"); });
  EXPECT_EQ(s.code(), StatusCode::kInternal);
  EXPECT_EQ(Read(dest), "old");
  EXPECT_EQ(Entries(), 1u);
}

TEST_F(CommonDurableFileTest, OpenForSequentialReadWantsARegularFile) {
  std::ofstream(dir_ / "f") << "x";
  Result<int> fd = OpenForSequentialRead((dir_ / "f").string());
  ASSERT_TRUE(fd.ok()) << fd.status().ToString();
  char c = 0;
  EXPECT_EQ(::read(*fd, &c, 1), 1);
  EXPECT_EQ(c, 'x');
  ::close(*fd);
  EXPECT_EQ(OpenForSequentialRead(dir_.string()).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(OpenForSequentialRead((dir_ / "nope").string()).status().code(), StatusCode::kNotFound);
}

TEST_F(CommonDurableFileTest, MissingDirectoryIsNamed) {
  std::string missing = (dir_ / "no/such").string();
  Status s = ReplaceFileAtomically(missing + "/.t", missing + "/f", "x");
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_NE(s.message().find("no/such"), std::string::npos);
  EXPECT_EQ(FsyncDirectory(missing).code(), StatusCode::kNotFound);
  EXPECT_TRUE(FsyncDirectory(dir_.string()).ok());
}

}  // namespace
}  // namespace mlcost
