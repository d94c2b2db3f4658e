#include "agent/process_tree_sampler.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

namespace mlcost::agent {
namespace {

namespace fs = std::filesystem;

// A /proc/PID/stat line with the fields the sampler reads set and the others zero.
std::string StatLine(int pid, const std::string& comm, int ppid, int utime, int stime, int cutime, int cstime,
                     int rss_pages) {
  std::string s = std::to_string(pid) + " (" + comm + ") S " + std::to_string(ppid);
  for (int field = 5; field <= 13; ++field) s += " 0";
  s += " " + std::to_string(utime) + " " + std::to_string(stime) + " " + std::to_string(cutime) + " " +
       std::to_string(cstime);
  for (int field = 18; field <= 23; ++field) s += " 0";
  s += " " + std::to_string(rss_pages) + " 0 0 0\n";
  return s;
}

class FakeProcTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("mlcost_proc_" + std::to_string(getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }

  void Process(int pid, const std::string& stat, const std::string& io = "") {
    fs::create_directories(root_ / std::to_string(pid));
    std::ofstream(root_ / std::to_string(pid) / "stat") << stat;
    if (!io.empty()) std::ofstream(root_ / std::to_string(pid) / "io") << io;
  }

  fs::path root_;
};

TEST_F(FakeProcTest, SumsTheWholeTreeAndNothingElse) {
  const uint64_t page = static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
  Process(100, StatLine(100, "python", 1, 10, 5, 3, 2, 1000),
          "rchar: 99\nwchar: 99\nsyscr: 1\nsyscw: 1\nread_bytes: 4096\nwrite_bytes: "
          "8192\ncancelled_write_bytes: 0\n");
  // A child whose name holds spaces and a parenthesis, and a grandchild with a lower pid (pid wrap).
  Process(205, StatLine(205, "pt worker) 1", 100, 7, 1, 0, 0, 500), "read_bytes: 100\nwrite_bytes: 1\n");
  Process(50, StatLine(50, "grandchild", 205, 1, 1, 0, 0, 10));  // no io file: adds no I/O
  // Not in the tree: its parent is init, and a process whose parent is 100's sibling.
  Process(300, StatLine(300, "other", 1, 1000, 1000, 0, 0, 99999), "read_bytes: 7\nwrite_bytes: 7\n");
  Process(301, StatLine(301, "other child", 300, 1000, 1000, 0, 0, 99999));
  fs::create_directories(root_ / "self");  // not a pid

  ProcessTreeSampler sampler(100, root_.string());
  TreeReading r = sampler.Read();
  EXPECT_EQ(r.processes, 3);
  EXPECT_EQ(r.cpu_ticks, uint64_t{10 + 5 + 3 + 2 + 7 + 1 + 1 + 1});
  EXPECT_EQ(r.rss_bytes, (1000 + 500 + 10) * page);
  EXPECT_EQ(r.read_bytes, uint64_t{4096 + 100});
  EXPECT_EQ(r.write_bytes, uint64_t{8192 + 1});
  EXPECT_EQ(sampler.pids(), (std::vector<int>{50, 100, 205}));
}

TEST_F(FakeProcTest, AGoneRootIsAnEmptyTree) {
  Process(300, StatLine(300, "other", 1, 1, 1, 0, 0, 1));
  ProcessTreeSampler sampler(100, root_.string());
  TreeReading r = sampler.Read();
  EXPECT_EQ(r.processes, 0);
  EXPECT_EQ(r.cpu_ticks, 0u);
  EXPECT_TRUE(sampler.pids().empty());
}

TEST_F(FakeProcTest, SkipsAMalformedStatFile) {
  Process(100, StatLine(100, "python", 1, 1, 1, 0, 0, 1));
  Process(101, "101 no parenthesis here\n");
  ProcessTreeSampler sampler(100, root_.string());
  EXPECT_EQ(sampler.Read().processes, 1);
}

TEST_F(FakeProcTest, RereadsTheTreeEachTimeAndOthersOnlyOnAFullScan) {
  Process(100, StatLine(100, "root", 1, 1, 0, 0, 0, 1));
  Process(300, StatLine(300, "other", 1, 0, 0, 0, 0, 1));
  ProcessTreeSampler sampler(100, root_.string());
  EXPECT_EQ(sampler.Read().processes, 1);  // the first Read is a full scan

  // The tree's counters move; a new child appears; pid 300 is reused by a child of the root.
  Process(100, StatLine(100, "root", 1, 5, 0, 0, 0, 1));
  Process(101, StatLine(101, "new child", 100, 2, 0, 0, 0, 1));
  Process(300, StatLine(300, "reused pid", 100, 7, 0, 0, 0, 1));
  TreeReading r = sampler.Read();
  EXPECT_EQ(r.cpu_ticks, uint64_t{5 + 2});
  EXPECT_EQ(sampler.pids(), (std::vector<int>{100, 101}));  // 300's parent is remembered as 1

  for (int i = 2; i < ProcessTreeSampler::kFullScanEvery; ++i) sampler.Read();
  r = sampler.Read();  // the next full scan
  EXPECT_EQ(sampler.pids(), (std::vector<int>{100, 101, 300}));
  EXPECT_EQ(r.cpu_ticks, uint64_t{5 + 2 + 7});
}

// A real child that burns CPU and holds memory, with a grandchild of its own.
TEST(ProcessTreeSamplerTest, MeasuresARealBusyProcessTree) {
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    if (fork() == 0) {
      pause();
      _exit(0);
    }
    volatile uint64_t x = 0;
    for (;;) x = x + 1;
  }
  ProcessTreeSampler sampler(child);
  TreeReading first = sampler.Read();
  // Wait (bounded) until the tree has both processes and has used CPU time since `first`.
  TreeReading later = first;
  for (int i = 0; i < 300 && (later.processes < 2 || later.cpu_ticks <= first.cpu_ticks); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    later = sampler.Read();
  }
  kill(-child, SIGKILL);
  kill(child, SIGKILL);
  for (int pid : sampler.pids()) kill(pid, SIGKILL);
  waitpid(child, nullptr, 0);
  EXPECT_EQ(later.processes, 2);
  EXPECT_GT(later.cpu_ticks, first.cpu_ticks);
  EXPECT_GT(later.rss_bytes, 0u);
  ASSERT_EQ(sampler.pids().size(), 2u);
  EXPECT_TRUE(std::binary_search(sampler.pids().begin(), sampler.pids().end(), child));
}

}  // namespace
}  // namespace mlcost::agent
