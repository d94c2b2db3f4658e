#include "agent/exit_info.h"

#include <sys/wait.h>

#include <cstring>

namespace mlcost::agent {

std::string ExitInfo::Describe() const {
  if (exited) return "exit " + std::to_string(code);
  const char* abbrev = sigabbrev_np(signal);
  std::string name = abbrev != nullptr ? std::string("SIG") + abbrev : std::string("an unknown signal");
  return "killed by " + name + " (signal " + std::to_string(signal) + ")";
}

ExitInfo DecodeWaitStatus(int wait_status) {
  ExitInfo info;
  if (WIFEXITED(wait_status)) {
    info.exited = true;
    info.code = WEXITSTATUS(wait_status);
  } else if (WIFSIGNALED(wait_status)) {
    info.signal = WTERMSIG(wait_status);
  } else {
    info.exited = true;
    info.code = 1;
  }
  return info;
}

}  // namespace mlcost::agent
