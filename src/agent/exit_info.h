// ExitInfo: how a supervised child ended, decoded from a waitpid() status.
#ifndef MLCOST_AGENT_EXIT_INFO_H_
#define MLCOST_AGENT_EXIT_INFO_H_

#include <string>

namespace mlcost::agent {

struct ExitInfo {
  // Exactly one of these holds: the child called exit(code), or a signal killed it.
  bool exited = false;
  int code = 0;    // exit code when `exited`
  int signal = 0;  // terminating signal when !exited

  // True only for exit(0).
  bool Succeeded() const { return exited && code == 0; }
  // The shell convention: `code` when exited, 128 + signal when killed by a signal.
  int ShellExitCode() const { return exited ? code : 128 + signal; }
  // "exit 3" or "killed by SIGKILL (signal 9)".
  std::string Describe() const;
};

// Decodes a waitpid() status word. A status that is neither WIFEXITED nor WIFSIGNALED (stopped,
// continued) is not a final status; callers must not pass one (it decodes as exit 1).
ExitInfo DecodeWaitStatus(int wait_status);

}  // namespace mlcost::agent

#endif  // MLCOST_AGENT_EXIT_INFO_H_
