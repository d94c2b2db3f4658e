// SIGINT / SIGTERM as a foreground server's stop request (mlcost serve, demo, datacache serve).
#ifndef MLCOST_CLI_STOP_SIGNALS_H_
#define MLCOST_CLI_STOP_SIGNALS_H_

#include <functional>

namespace mlcost::cli {

// Blocks SIGINT and SIGTERM in the calling thread; threads started later inherit the mask, so
// only OnStopSignal's thread receives them. Call before any thread starts (before a server starts).
void BlockStopSignals();

// Waits for SIGINT/SIGTERM on a detached helper thread, then calls `stop` (once). Blocks the
// signals in the caller first. What `stop` touches must outlive the signal, i.e. the caller waits
// for its server to stop.
void OnStopSignal(std::function<void()> stop);

}  // namespace mlcost::cli

#endif  // MLCOST_CLI_STOP_SIGNALS_H_
