#pragma once
// HttpParser: incremental HTTP/1.x framing over libhttp-parser (the parser wrk uses), for
// responses (the load generator) and requests (the embedded server).
// Contract: Feed() consumes bytes and stops right AFTER each complete message, so pipelined
// messages come out one at a time; call Feed() again with the unconsumed rest. Content-Length,
// chunked and close-delimited bodies are handled; a close-delimited body completes at
// FinishAtEof(). Without `collect` nothing is copied (framing only: status, keep-alive, sizes);
// with it the URL, headers and body of the current message are kept in reused buffers, so
// steady-state parsing allocates nothing either way.
#include <http_parser.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace fwbench::net {

struct HttpHeader {
  std::string name, value;
};

class HttpParser {
 public:
  enum class Kind { kRequest, kResponse };
  struct Step {
    size_t consumed = 0;    // bytes of the input used
    bool complete = false;  // a whole message ended at input[consumed - 1] (or at EOF)
    bool error = false;     // malformed input; the parser stays failed until Reset()
  };

  HttpParser(Kind kind, bool collect);
  HttpParser(const HttpParser&) = delete;
  HttpParser& operator=(const HttpParser&) = delete;

  Step Feed(std::string_view data);
  // The peer closed: complete when that ends a close-delimited body, error when a message was
  // cut short, neither when no message had started.
  Step FinishAtEof();
  // Fresh state for a new connection.
  void Reset();
  // The next response answers a HEAD request, so it has no body whatever its headers say.
  void SetSkipBody(bool skip) { skip_body_ = skip; }
  // Some bytes of a message have been parsed but the message is not complete yet.
  bool in_message() const { return in_message_; }

  // The last complete message (or the one in progress), valid until the next Feed()/Reset().
  int status() const { return parser_.status_code; }  // responses
  std::string_view method() const { return http_method_str(http_method(parser_.method)); }
  int http_minor() const { return parser_.http_minor; }
  bool keep_alive() const { return keep_alive_; }
  uint64_t body_bytes() const { return body_bytes_; }
  const std::string& url() const { return url_; }  // collect only
  std::span<const HttpHeader> headers() const { return {headers_.data(), num_headers_}; }
  std::string_view header(std::string_view name) const;  // "" when absent
  const std::string& body() const { return body_; }      // collect only
  // Why parsing failed: libhttp-parser's error name and description.
  std::string error() const;

 private:
  static int OnMessageBegin(http_parser* p);
  static int OnUrl(http_parser* p, const char* at, size_t len);
  static int OnHeaderField(http_parser* p, const char* at, size_t len);
  static int OnHeaderValue(http_parser* p, const char* at, size_t len);
  static int OnHeadersComplete(http_parser* p);
  static int OnBody(http_parser* p, const char* at, size_t len);
  static int OnMessageComplete(http_parser* p);
  Step Execute(const char* data, size_t len);

  http_parser parser_{};
  const http_parser_settings* settings_;
  Kind kind_;
  bool collect_;
  bool in_message_ = false;
  bool skip_body_ = false;
  bool keep_alive_ = false;
  bool last_was_value_ = false;
  uint64_t body_bytes_ = 0;
  std::string url_, body_;
  std::vector<HttpHeader> headers_;
  size_t num_headers_ = 0;
};

}  // namespace fwbench::net
