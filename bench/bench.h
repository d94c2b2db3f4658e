// RunBenchmark: the whole mlcost-bench invocation — start (or reach) the server, set up runs,
// run the three load scenarios, read every acknowledged point back, report.
#ifndef MLCOST_BENCH_BENCH_H_
#define MLCOST_BENCH_BENCH_H_

#include "bench/bench_options.h"

namespace mlcost::bench {

// Runs the benchmark described by `options`, printing human-readable lines (unless
// json_only) and then one JSON line on stdout. Returns the process exit code: 0 when every
// request got 200, every acknowledged point was read back and the spawned server stopped
// cleanly; 1 otherwise (the reasons are printed and listed in the JSON "failures").
int RunBenchmark(const BenchOptions& options);

}  // namespace mlcost::bench

#endif  // MLCOST_BENCH_BENCH_H_
