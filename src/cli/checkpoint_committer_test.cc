#include "cli/checkpoint_committer.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "checkpoint/open_checkpoint_store.h"

namespace mlcost::cli {
namespace {

namespace fs = std::filesystem;

TEST(CheckpointCommitterTest, CommitsEachCompleteFileAndNumbersRewrites) {
  fs::path root = fs::temp_directory_path() / ("mlcost-committer-" + std::to_string(getpid()));
  fs::remove_all(root);
  fs::create_directories(root / "job");
  auto store = checkpoint::OpenCheckpointStore((root / "store").string());
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  {
    CheckpointCommitter committer(**store, (root / "job").string());
    for (int epoch = 1; epoch <= 3; ++epoch) {
      std::ofstream(root / "job" / "last-7.pt") << "weights of epoch " << epoch;
      std::ofstream(root / "job" / "half-written.pt.tmp") << "ignored";
      committer.Settle();
    }
    EXPECT_EQ(committer.committed(), 3);
  }
  auto listed = (*store)->List();
  ASSERT_TRUE(listed.ok());
  std::vector<std::string> names;
  for (const auto& entry : *listed) {
    names.push_back(entry.name);
    ASSERT_TRUE(entry.manifest.has_value());
    EXPECT_EQ(entry.manifest->step, 7);  // the first digits of the file name
  }
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"last-7.pt", "last-7.pt-2", "last-7.pt-3"}));
  auto latest = (*store)->Latest();
  ASSERT_TRUE(latest.ok());
  EXPECT_EQ(latest->name, "last-7.pt-3");
  fs::remove_all(root);
}

}  // namespace
}  // namespace mlcost::cli
