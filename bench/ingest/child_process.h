// RunCommand: runs a program and returns what it wrote on stdout (stderr passes through).
#ifndef MLCOST_BENCH_INGEST_CHILD_PROCESS_H_
#define MLCOST_BENCH_INGEST_CHILD_PROCESS_H_

#include <string>
#include <vector>

#include "mlcost/status.h"

namespace mlcost::bench {

// Runs argv[0] with the arguments (no shell interpretation: each is single-quoted). Internal if it
// cannot start or exits non-zero, with its stdout in the message.
Result<std::string> RunCommand(const std::vector<std::string>& argv);

}  // namespace mlcost::bench

#endif  // MLCOST_BENCH_INGEST_CHILD_PROCESS_H_
