// S3rverProcess: a real s3rver (npm, tests/node/node_modules/.bin/s3rver) started on 127.0.0.1
// and a free port, for tests and benchmarks. Not linked into mlcost itself.
#ifndef MLCOST_S3_S3RVER_PROCESS_H_
#define MLCOST_S3_S3RVER_PROCESS_H_

#include <sys/types.h>

#include <memory>
#include <string>

#include "mlcost/status.h"

namespace mlcost::s3 {

class S3rverProcess {
 public:
  // The s3rver script under `source_dir` (the repository root), or "" when it is not installed.
  static std::string FindBinary(const std::string& source_dir);

  // Starts `binary` with its data in `data_dir` (created) and waits until it prints the port it
  // listens on. With `tls_key` and `tls_cert` (PEM files) it serves https. Unavailable when it
  // exits or says nothing within 60 s.
  static Result<std::unique_ptr<S3rverProcess>> Start(const std::string& binary, const std::string& data_dir,
                                                      const std::string& tls_key = "",
                                                      const std::string& tls_cert = "");

  // Kills (SIGTERM) and reaps the server.
  ~S3rverProcess();

  // "http(s)://127.0.0.1:PORT"; s3rver accepts the access key S3RVER / secret S3RVER.
  const std::string& endpoint() const { return endpoint_; }

 private:
  S3rverProcess(pid_t pid, std::string endpoint) : pid_(pid), endpoint_(std::move(endpoint)) {}
  pid_t pid_;
  std::string endpoint_;
};

}  // namespace mlcost::s3

#endif  // MLCOST_S3_S3RVER_PROCESS_H_
