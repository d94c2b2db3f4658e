#include "cli/stop_signals.h"

#include <pthread.h>

#include <csignal>
#include <thread>
#include <utility>

namespace mlcost::cli {
namespace {

sigset_t StopSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

}  // namespace

void BlockStopSignals() {
  sigset_t set = StopSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

void OnStopSignal(std::function<void()> stop) {
  BlockStopSignals();
  std::thread([stop = std::move(stop)] {
    sigset_t set = StopSignals();
    int sig = 0;
    sigwait(&set, &sig);
    stop();
  }).detach();
}

}  // namespace mlcost::cli
