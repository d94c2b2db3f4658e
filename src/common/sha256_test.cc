#include "common/sha256.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace mlcost {
namespace {

// Expected digests are the published FIPS 180-2 / RFC 4231 test vectors, not values computed here.
TEST(Sha256Test, PublishedVectors) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256Test, StreamingEqualsOneShot) {
  Sha256 h;
  h.Update("a");
  h.Update("bc");
  EXPECT_EQ(h.FinalHex(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256Test, HmacRfc4231Case2) {
  Sha256Digest d = HmacSha256("Jefe", "what do ya want for nothing?");
  EXPECT_EQ(HexLower(d), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(Sha256Test, FileDigestAndMissingFile) {
  auto dir = std::filesystem::temp_directory_path() / ("sha256_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "f") << "abc";
  auto d = Sha256File((dir / "f").string());
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->size, 3u);
  EXPECT_EQ(d->sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  auto missing = Sha256File((dir / "nope").string());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace mlcost
