#pragma once
// TCP socket helpers for the load generator and the embedded server. Every socket returned is
// non-blocking and close-on-exec; client and accepted sockets have TCP_NODELAY set.
// Functions that can fail throw fwbench::Error naming the address and the system error,
// except ConnectTcp/Accept, which report failure by value because callers retry.
#include <sys/socket.h>

#include <string>

#include "common/fd.h"

namespace fwbench::net {

// A resolved IPv4/IPv6 address and port.
struct Endpoint {
  sockaddr_storage addr{};
  socklen_t len = 0;
  std::string ToString() const;  // "127.0.0.1:8080" or "[::1]:8080"
};

// Resolves a numeric address or a host name (the first result wins). Throws on failure.
Endpoint Resolve(const std::string& host, int port);

// Starts a non-blocking connect. Returns an empty Fd and sets *error (errno) when the connect
// fails at once; otherwise the connect completes later: wait for EPOLLOUT, then ConnectError().
Fd ConnectTcp(const Endpoint& to, int* error);

// The pending error of a socket (SO_ERROR), 0 when the connect succeeded.
int ConnectError(int fd);

// Binds and listens, WITHOUT SO_REUSEPORT, so a port in use is refused with a clear error
// (SO_REUSEADDR is set, so TIME_WAIT leftovers do not block a restart). Port 0 picks a free one.
Fd ListenTcp(const Endpoint& at, int backlog = 1024);

// The port a bound socket got (useful after binding port 0).
int LocalPort(int fd);

// Accepts one connection (non-blocking, TCP_NODELAY). Empty Fd when none is pending (EAGAIN)
// or on a per-connection error such as ECONNABORTED; *error gets errno (0 for EAGAIN).
Fd Accept(int listen_fd, int* error);

void SetNonBlocking(int fd);
void SetNoDelay(int fd);

}  // namespace fwbench::net
