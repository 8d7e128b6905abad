#include "verify/fresh_exchange.h"

#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "common/error.h"
#include "net/http.h"
#include "net/socket.h"

namespace fwbench::verify {
namespace {

std::string Wire(const std::string& host, int port, const HttpRequest& request) {
  std::string wire = request.method + " " + request.target + " HTTP/1.1\r\n";
  if (!FindHeader(request.headers, "Host")) {
    const bool v6 = host.find(':') != std::string::npos;
    wire += "Host: " + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port) + "\r\n";
  }
  for (const auto& [name, value] : request.headers) wire += name + ": " + value + "\r\n";
  const bool has_body = !request.body.empty() || request.method == "POST" ||
                        request.method == "PUT" || request.method == "PATCH";
  if (has_body && !FindHeader(request.headers, "Content-Length")) {
    wire += "Content-Length: " + std::to_string(request.body.size()) + "\r\n";
  }
  wire += "Connection: close\r\n\r\n";
  return wire + request.body;
}

// Reads what is there; false at end of stream (EOF or a reset after the queued bytes).
bool ReadSome(int fd, std::string* buffer) {
  char chunk[65536];
  const ssize_t n = recv(fd, chunk, sizeof chunk, 0);
  if (n > 0) {
    buffer->assign(chunk, static_cast<size_t>(n));
    return true;
  }
  if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
    buffer->clear();
    return true;
  }
  return false;
}

HttpResponse Collect(const net::HttpParser& parser) {
  HttpResponse response;
  response.status = parser.status();
  response.body = parser.body();
  for (const auto& header : parser.headers()) {
    response.headers.emplace_back(header.name, header.value);
  }
  return response;
}

}  // namespace

HttpResponse ExchangeOnFreshConnection(const std::string& host, int port,
                                       const HttpRequest& request, int timeout_s) {
  const std::string where = host + ":" + std::to_string(port);
  const std::string what = request.method + " " + request.target;
  int error = 0;
  Fd fd = net::ConnectTcp(net::Resolve(host, port), &error);
  if (!fd) throw Error(what + ": connect failed: " + std::strerror(error), where);
  const std::string wire = Wire(host, port, request);
  size_t sent = 0;
  bool writing = true;
  net::HttpParser parser(net::HttpParser::Kind::kResponse, /*collect=*/true);
  parser.SetSkipBody(request.method == "HEAD");
  std::string buffer;
  while (true) {
    pollfd watch{fd.get(), static_cast<short>(POLLIN | (writing ? POLLOUT : 0)), 0};
    const int ready = poll(&watch, 1, timeout_s * 1000);
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0)
      throw Error(what + ": no response within " + std::to_string(timeout_s) + " s", where);
    if (writing && (watch.revents & (POLLOUT | POLLERR))) {
      if (const int pending = net::ConnectError(fd.get()); pending != 0 && sent == 0) {
        throw Error(what + ": connect failed: " + std::strerror(pending), where);
      }
      const ssize_t n = send(fd.get(), wire.data() + sent, wire.size() - sent, MSG_NOSIGNAL);
      if (n > 0) sent += static_cast<size_t>(n);
      // A failed write ends the sending only: the answer may already be waiting to be read.
      if ((n < 0 && errno != EAGAIN && errno != EINTR) || sent == wire.size()) writing = false;
    }
    if (!(watch.revents & (POLLIN | POLLHUP | POLLERR))) continue;
    if (!ReadSome(fd.get(), &buffer)) {
      if (parser.FinishAtEof().complete) return Collect(parser);
      throw Error(what + ": the connection closed before a whole response arrived", where);
    }
    const auto step = parser.Feed(buffer);
    if (step.error) throw Error(what + ": malformed response: " + parser.error(), where);
    if (step.complete) return Collect(parser);
  }
}

}  // namespace fwbench::verify
