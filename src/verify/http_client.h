#pragma once
// A small blocking HTTP/1.1 client for checking one app: one keep-alive connection, TCP_NODELAY,
// the response kept whole (status, headers as sent, decoded body).
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "net/url.h"

namespace httplib {
class Client;
}

namespace fwbench::verify {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// The first header named `name` (case-insensitive); nullopt when absent.
std::optional<std::string> FindHeader(const HeaderList& headers, const std::string& name);

struct HttpRequest {
  std::string method = "GET";
  std::string target;  // path and query, e.g. "/queries?queries=2"
  HeaderList headers;
  std::string body;
};

struct HttpResponse {
  int status = 0;
  HeaderList headers;  // names as the server sent them
  std::string body;    // after chunked decoding

  // The first header named `name` (case-insensitive); nullopt when absent.
  std::optional<std::string> Header(const std::string& name) const {
    return FindHeader(headers, name);
  }
};

// cpp-httplib writes without MSG_NOSIGNAL, so the process must ignore SIGPIPE (fwbench's main
// does) or a write to a reset connection kills it.
class HttpClient {
 public:
  // `base_url` is http://HOST:PORT. Throws fwbench::Error when it is not such a URL.
  explicit HttpClient(const std::string& base_url, int timeout_s = 10);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends one request; a request that fails on a kept-alive connection is sent once more on a
  // new connection, as browsers do when a server has closed an idle one. A failed write is
  // retried with ExchangeOnFreshConnection, which reads an answer the server sent before the
  // whole request (a 413). Throws fwbench::Error naming the URL and the transport error
  // (refused, timed out, reset) when no response arrives.
  HttpResponse Send(const HttpRequest& request);

  const std::string& base_url() const { return base_url_; }

 private:
  std::string base_url_;
  net::HttpUrl address_;  // base_url_'s host and port
  int timeout_s_;
  std::unique_ptr<httplib::Client> client_;
};

}  // namespace fwbench::verify
