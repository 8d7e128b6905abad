#include "net/socket.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <cerrno>
#include <cstring>

#include "common/error.h"

namespace fwbench::net {

std::string Endpoint::ToString() const {
  char text[INET6_ADDRSTRLEN] = "?";
  if (addr.ss_family == AF_INET) {
    const auto* a = reinterpret_cast<const sockaddr_in*>(&addr);
    inet_ntop(AF_INET, &a->sin_addr, text, sizeof text);
    return std::string(text) + ":" + std::to_string(ntohs(a->sin_port));
  }
  const auto* a = reinterpret_cast<const sockaddr_in6*>(&addr);
  inet_ntop(AF_INET6, &a->sin6_addr, text, sizeof text);
  return "[" + std::string(text) + "]:" + std::to_string(ntohs(a->sin6_port));
}

Endpoint Resolve(const std::string& host, int port) {
  if (port < 0 || port > 65535) {
    throw Error("port " + std::to_string(port) + " is out of range", host, "use 0..65535");
  }
  std::string name = host;
  if (name.size() > 2 && name.front() == '[' && name.back() == ']') {
    name = name.substr(1, name.size() - 2);
  }
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(port);
  const int rc = getaddrinfo(name.c_str(), service.c_str(), &hints, &found);
  if (rc != 0 || found == nullptr) {
    throw Error("cannot resolve host: " + std::string(gai_strerror(rc)), host,
                "use a numeric address such as 127.0.0.1");
  }
  Endpoint endpoint;
  std::memcpy(&endpoint.addr, found->ai_addr, found->ai_addrlen);
  endpoint.len = found->ai_addrlen;
  freeaddrinfo(found);
  return endpoint;
}

void SetNonBlocking(int fd) {
  const int flags = fcntl(fd, F_GETFL, 0);
  if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
    throw Error("fcntl(O_NONBLOCK) failed: " + std::string(std::strerror(errno)));
  }
}

void SetNoDelay(int fd) {
  const int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);  // not TCP (unix socket): no-op
}

Fd ConnectTcp(const Endpoint& to, int* error) {
  *error = 0;
  Fd fd(socket(to.addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd) {
    *error = errno;
    return Fd();
  }
  SetNoDelay(fd.get());
  if (connect(fd.get(), reinterpret_cast<const sockaddr*>(&to.addr), to.len) < 0 &&
      errno != EINPROGRESS) {
    *error = errno;
    return Fd();
  }
  return fd;
}

int ConnectError(int fd) {
  int error = 0;
  socklen_t len = sizeof error;
  if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len) < 0) return errno;
  return error;
}

Fd ListenTcp(const Endpoint& at, int backlog) {
  Fd fd(socket(at.addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd) throw Error("socket() failed: " + std::string(std::strerror(errno)), at.ToString());
  const int one = 1;
  setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind(fd.get(), reinterpret_cast<const sockaddr*>(&at.addr), at.len) < 0) {
    const int e = errno;
    throw Error("cannot bind: " + std::string(std::strerror(e)), at.ToString(),
                e == EADDRINUSE ? "another process holds this port; stop it or pick another port"
                                : "check the address and permissions");
  }
  if (listen(fd.get(), backlog) < 0) {
    throw Error("listen() failed: " + std::string(std::strerror(errno)), at.ToString());
  }
  return fd;
}

int LocalPort(int fd) {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) < 0) return -1;
  if (addr.ss_family == AF_INET) return ntohs(reinterpret_cast<sockaddr_in*>(&addr)->sin_port);
  return ntohs(reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port);
}

Fd Accept(int listen_fd, int* error) {
  *error = 0;
  const int fd = accept4(listen_fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
  if (fd < 0) {
    if (errno != EAGAIN && errno != EWOULDBLOCK) *error = errno;
    return Fd();
  }
  SetNoDelay(fd);
  return Fd(fd);
}

}  // namespace fwbench::net
