#include "verify/http_client.h"

#include <httplib.h>
#include <strings.h>

#include "common/error.h"
#include "verify/fresh_exchange.h"

namespace fwbench::verify {

std::optional<std::string> FindHeader(const HeaderList& headers, const std::string& name) {
  for (const auto& [key, value] : headers) {
    if (strcasecmp(key.c_str(), name.c_str()) == 0) return value;
  }
  return std::nullopt;
}

HttpClient::HttpClient(const std::string& base_url, int timeout_s) : base_url_(base_url) {
  if (base_url.rfind("http://", 0) != 0 || base_url.size() <= 7) {
    throw Error("'" + base_url + "' is not an http:// URL", "fwbench verify",
                "give the app's address, e.g. http://127.0.0.1:8000");
  }
  while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
  address_ = net::ParseHttpUrl(base_url_, "fwbench verify");
  timeout_s_ = timeout_s;
  client_ = std::make_unique<httplib::Client>(base_url_);
  if (!client_->is_valid()) throw Error("cannot use URL '" + base_url + "'", "fwbench verify");
  client_->set_tcp_nodelay(true);
  client_->set_keep_alive(true);
  client_->set_connection_timeout(timeout_s, 0);
  client_->set_read_timeout(timeout_s, 0);
  client_->set_write_timeout(timeout_s, 0);
  client_->set_decompress(false);
  client_->set_url_encode(false);  // send each target exactly as the contract writes it
}

HttpClient::~HttpClient() = default;

HttpResponse HttpClient::Send(const HttpRequest& request) {
  httplib::Request req;
  req.method = request.method;
  req.path = request.target;
  req.body = request.body;
  for (const auto& [name, value] : request.headers) req.headers.emplace(name, value);
  httplib::Result result = client_->send(req);
  if (!result && result.error() == httplib::Error::Write) {
    // The server answered and closed before taking the whole request (a 413 to an oversized
    // body): whether the write fails first is a race, so read the answer on a fresh connection
    // that keeps reading after a failed write.
    client_->stop();
    return ExchangeOnFreshConnection(address_.host, address_.port, request, timeout_s_);
  }
  if (!result && result.error() != httplib::Error::Connection) {
    // The server may have closed the kept-alive connection after its last response (uWSGI and
    // gunicorn's gthread worker do after an error status): try once more on a fresh one.
    client_->stop();
    result = client_->send(req);
  }
  if (!result) {
    throw Error(request.method + " " + base_url_ + request.target + " got no response (" +
                    httplib::to_string(result.error()) + ")",
                base_url_, "start the app first, or check the URL and port");
  }
  HttpResponse response;
  response.status = result->status;
  response.body = result->body;
  for (const auto& [name, value] : result->headers) response.headers.emplace_back(name, value);
  return response;
}

}  // namespace fwbench::verify
