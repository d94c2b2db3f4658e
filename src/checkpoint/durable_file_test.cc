#include "checkpoint/durable_file.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace mlcost::checkpoint {
namespace {

namespace fs = std::filesystem;

class DurableFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("durable_file_test_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Read(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  fs::path dir_;
};

TEST_F(DurableFileTest, CopyHashesWhatItWrites) {
  std::ofstream(dir_ / "src", std::ios::binary) << "abc";
  auto d = CopyFileDurably((dir_ / "src").string(), (dir_ / "dst").string());
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->size, 3u);
  EXPECT_EQ(d->sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");  // FIPS 180-2 "abc"
  EXPECT_EQ(Read(dir_ / "dst"), "abc");
}

TEST_F(DurableFileTest, WriteReplacesAtomicallyAndLeavesNoTemp) {
  ASSERT_TRUE(WriteFileDurably((dir_ / "f").string(), "one").ok());
  ASSERT_TRUE(WriteFileDurably((dir_ / "f").string(), "two").ok());
  EXPECT_EQ(Read(dir_ / "f"), "two");
  int entries = 0;
  for (const auto& e : fs::directory_iterator(dir_)) entries += e.path().filename() == "f" ? 0 : 1;
  EXPECT_EQ(entries, 0);
}

TEST_F(DurableFileTest, ErrorsNameThePathAndClassify) {
  auto missing = CopyFileDurably((dir_ / "nope").string(), (dir_ / "dst").string());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("nope"), std::string::npos);
  Status no_dir = WriteFileDurably((dir_ / "no/such/dir/f").string(), "x");
  EXPECT_FALSE(no_dir.ok());
  EXPECT_NE(no_dir.message().find("no/such/dir"), std::string::npos);
  EXPECT_TRUE(IsDurableTempName(".model.pt.mlcost-tmp-12-0"));
  EXPECT_FALSE(IsDurableTempName("model.pt"));
}

}  // namespace
}  // namespace mlcost::checkpoint
