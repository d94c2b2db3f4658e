// CheckPortFree: whether a TCP port can be bound. cpp-httplib 0.11 binds with SO_REUSEPORT by
// default, so a second server on a taken port silently shares it with the first (the kernel
// splits connections between them) instead of failing; `serve` and `demo` check first.
#ifndef MLCOST_CLI_PORT_CHECK_H_
#define MLCOST_CLI_PORT_CHECK_H_

#include <string>

#include "mlcost/status.h"

namespace mlcost::cli {

// OK when `port` on `host` can be bound without SO_REUSEPORT right now (port 0 always is).
// Unavailable("cannot listen on HOST:PORT: the port is in use ...") when another socket has it;
// InvalidArgument when `host` does not resolve. The port is released again before returning, so
// another process may still take it before the caller binds.
Status CheckPortFree(const std::string& host, int port);

}  // namespace mlcost::cli

#endif  // MLCOST_CLI_PORT_CHECK_H_
