// ProcessTreeSampler: CPU time, resident memory and storage I/O of a process and all of its
// descendants, read from procfs.
#ifndef MLCOST_AGENT_PROCESS_TREE_SAMPLER_H_
#define MLCOST_AGENT_PROCESS_TREE_SAMPLER_H_

#include <cstdint>
#include <string>
#include <vector>

namespace mlcost::agent {

// Totals over the tree at one instant. The counters only grow while the tree lives (the CPU and
// I/O of a process that ended were added to its parent's by the kernel when it was reaped); a
// process reaped by something outside the tree takes its share with it.
struct TreeReading {
  // Processes in the tree (the root included); 0 when the root is gone.
  int processes = 0;
  // utime + stime + cutime + cstime of every process, in clock ticks (sysconf(_SC_CLK_TCK)).
  uint64_t cpu_ticks = 0;
  // Sum of the resident set sizes, bytes.
  uint64_t rss_bytes = 0;
  // read_bytes / write_bytes of /proc/PID/io: bytes the tree caused to be fetched from or sent to
  // the storage layer. A process whose io file cannot be read (another user's) adds nothing.
  uint64_t read_bytes = 0;
  uint64_t write_bytes = 0;
};

// Thread-compatible: one thread calls Read at a time.
class ProcessTreeSampler {
 public:
  // `proc_root` is where procfs is mounted (tests may point elsewhere). The tree is found by
  // listing `proc_root` and following parent pids (field 4 of /proc/PID/stat) down from `root`,
  // so it works without CONFIG_PROC_CHILDREN. To keep a sample cheap on a busy machine, the
  // parent of a process outside the tree is remembered instead of re-read; every
  // kFullScanEvery-th Read re-reads every process, which bounds how long a pid reused by a new
  // process of the tree can go unnoticed.
  explicit ProcessTreeSampler(int root, std::string proc_root = "/proc");

  static constexpr int kFullScanEvery = 10;

  // Reads the tree now. Processes that vanish mid-read are skipped quietly. Allocation-free once
  // its buffers have grown to the number of processes on the machine.
  TreeReading Read();

  // The tree's pids found by the last Read, ascending.
  const std::vector<int>& pids() const { return tree_; }

  // Clock ticks per second, for cpu_ticks.
  static int64_t TicksPerSecond();

 private:
  struct Process {
    int pid = 0;
    int ppid = 0;
    uint64_t cpu_ticks = 0;
    uint64_t rss_pages = 0;
    bool read = false;  // stat read this time (else ppid is remembered from an earlier Read)
  };

  // Reads /proc/PID/stat into `out`; false when it is gone or malformed.
  bool ReadStat(int pid, Process& out);
  // Adds read_bytes and write_bytes of /proc/PID/io.
  void AddIo(int pid, TreeReading& reading);
  // Reads `path` into buffer_; the bytes read, or -1.
  long ReadFile(const char* path);

  int root_;
  std::string proc_root_;
  std::vector<Process> all_;   // this Read's processes, by pid
  std::vector<Process> prev_;  // the previous Read's, by pid
  std::vector<int> tree_;
  int64_t reads_ = 0;
  std::vector<char> buffer_;
  std::string path_;
};

}  // namespace mlcost::agent

#endif  // MLCOST_AGENT_PROCESS_TREE_SAMPLER_H_
