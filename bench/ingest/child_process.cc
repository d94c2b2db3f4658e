#include "bench/ingest/child_process.h"

#include <sys/wait.h>

#include <cstdio>

namespace mlcost::bench {
namespace {

std::string ShellQuote(const std::string& arg) {
  std::string out = "'";
  for (char c : arg) {
    if (c == '\'') out += "'\\''";
    else out.push_back(c);
  }
  return out + "'";
}

}  // namespace

Result<std::string> RunCommand(const std::vector<std::string>& argv) {
  std::string command;
  for (const std::string& arg : argv) command += (command.empty() ? "" : " ") + ShellQuote(arg);
  std::FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return Internal("cannot run " + command);
  std::string output;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) output.append(buf, n);
  int status = ::pclose(pipe);
  if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return Internal(command + " failed (status " + std::to_string(status) + "): " + output);
  }
  return output;
}

}  // namespace mlcost::bench
