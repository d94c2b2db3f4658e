#include "cli/port_check.h"

#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace mlcost::cli {

Status CheckPortFree(const std::string& host, int port) {
  if (port == 0) return Status::Ok();
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  std::string service = std::to_string(port);
  if (int rc = getaddrinfo(host.c_str(), service.c_str(), &hints, &found); rc != 0) {
    return InvalidArgument("cannot resolve host '" + host + "': " + gai_strerror(rc));
  }
  Status status = Status::Ok();
  int fd = socket(found->ai_family, found->ai_socktype | SOCK_CLOEXEC, found->ai_protocol);
  if (fd >= 0) {
    int yes = 1;  // SO_REUSEADDR only: a socket in TIME_WAIT does not make the port "in use".
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    if (bind(fd, found->ai_addr, found->ai_addrlen) != 0 && errno == EADDRINUSE) {
      status = Unavailable("cannot listen on " + host + ":" + service +
                           ": the port is in use (another mlcost serve, or another program)");
    }
    close(fd);
  }
  freeaddrinfo(found);
  return status;
}

}  // namespace mlcost::cli
