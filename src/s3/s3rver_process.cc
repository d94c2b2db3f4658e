#include "s3/s3rver_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <thread>
#include <vector>

namespace mlcost::s3 {

std::string S3rverProcess::FindBinary(const std::string& source_dir) {
  std::filesystem::path p = std::filesystem::path(source_dir) / "tests/node/node_modules/.bin/s3rver";
  std::error_code ec;
  return std::filesystem::exists(p, ec) ? p.string() : "";
}

Result<std::unique_ptr<S3rverProcess>> S3rverProcess::Start(const std::string& binary,
                                                            const std::string& data_dir,
                                                            const std::string& tls_key,
                                                            const std::string& tls_cert) {
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  // s3rver logs every request to stdout: into a file beside the data, never a pipe we must drain.
  const std::string log = data_dir + ".log";
  pid_t pid = ::fork();
  if (pid < 0) return Internal("fork failed");
  if (pid == 0) {
    int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      ::dup2(fd, 1);
      ::dup2(fd, 2);
    }
    // s3rver's ListObjectsV2 continuation tokens use DES, which Node's OpenSSL 3 only has in the
    // legacy provider.
    ::setenv("NODE_OPTIONS", "--openssl-legacy-provider", 1);
    std::vector<const char*> args = {binary.c_str(), "-d", data_dir.c_str(), "-a", "127.0.0.1", "-p", "0"};
    if (!tls_key.empty()) {
      args.insert(args.end(), {"--key", tls_key.c_str(), "--cert", tls_cert.c_str()});
    }
    args.push_back(nullptr);
    ::execv(binary.c_str(), const_cast<char* const*>(args.data()));
    ::_exit(127);
  }
  static const std::regex kListening(R"(listening on 127\.0\.0\.1:([0-9]+))");
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  std::string output;
  while (std::chrono::steady_clock::now() < deadline) {
    std::ifstream in(log);
    output.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    std::smatch m;
    if (std::regex_search(output, m, kListening)) {
      return std::unique_ptr<S3rverProcess>(new S3rverProcess(
          pid, std::string(tls_key.empty() ? "http" : "https") + "://127.0.0.1:" + m[1].str()));
    }
    if (::waitpid(pid, nullptr, WNOHANG) == pid) {
      return Unavailable("s3rver (" + binary + ") exited: " + output);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
  return Unavailable("s3rver (" + binary + ") did not start within 60 s: " + output);
}

S3rverProcess::~S3rverProcess() {
  ::kill(pid_, SIGTERM);
  ::waitpid(pid_, nullptr, 0);
}

}  // namespace mlcost::s3
