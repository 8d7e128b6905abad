#include "net/http.h"

#include <strings.h>

namespace fwbench::net {
namespace {

HttpParser* Self(http_parser* p) { return static_cast<HttpParser*>(p->data); }

}  // namespace

HttpParser::HttpParser(Kind kind, bool collect) : kind_(kind), collect_(collect) {
  // Two fixed tables: with `collect` off the data callbacks are absent, so the parser never
  // calls back per byte range and nothing is copied.
  static const http_parser_settings kFraming = [] {
    http_parser_settings s{};
    s.on_message_begin = &HttpParser::OnMessageBegin;
    s.on_headers_complete = &HttpParser::OnHeadersComplete;
    s.on_body = &HttpParser::OnBody;
    s.on_message_complete = &HttpParser::OnMessageComplete;
    return s;
  }();
  static const http_parser_settings kCollect = [] {
    http_parser_settings s = kFraming;
    s.on_url = &HttpParser::OnUrl;
    s.on_header_field = &HttpParser::OnHeaderField;
    s.on_header_value = &HttpParser::OnHeaderValue;
    return s;
  }();
  settings_ = collect ? &kCollect : &kFraming;
  Reset();
}

void HttpParser::Reset() {
  http_parser_init(&parser_, kind_ == Kind::kRequest ? HTTP_REQUEST : HTTP_RESPONSE);
  parser_.data = this;
  in_message_ = false;
  skip_body_ = false;
  keep_alive_ = false;
  body_bytes_ = 0;
}

HttpParser::Step HttpParser::Execute(const char* data, size_t len) {
  Step step;
  step.consumed = http_parser_execute(&parser_, settings_, data, len);
  const auto err = HTTP_PARSER_ERRNO(&parser_);
  if (err == HPE_PAUSED) {
    http_parser_pause(&parser_, 0);
    step.complete = true;
  } else if (err != HPE_OK) {
    step.error = true;
  }
  return step;
}

HttpParser::Step HttpParser::Feed(std::string_view data) {
  if (data.empty()) return {};
  return Execute(data.data(), data.size());
}

HttpParser::Step HttpParser::FinishAtEof() {
  if (!in_message_) return {};
  Step step = Execute(nullptr, 0);
  if (!step.complete) step.error = true;
  return step;
}

std::string HttpParser::error() const {
  const auto err = HTTP_PARSER_ERRNO(&parser_);
  return std::string(http_errno_name(err)) + ": " + http_errno_description(err);
}

std::string_view HttpParser::header(std::string_view name) const {
  for (size_t i = 0; i < num_headers_; ++i) {
    const auto& h = headers_[i];
    if (h.name.size() == name.size() && strncasecmp(h.name.data(), name.data(), name.size()) == 0)
      return h.value;
  }
  return {};
}

int HttpParser::OnMessageBegin(http_parser* p) {
  HttpParser* self = Self(p);
  self->in_message_ = true;
  self->body_bytes_ = 0;
  if (self->collect_) {
    self->url_.clear();
    self->body_.clear();
    self->num_headers_ = 0;
    self->last_was_value_ = false;
  }
  return 0;
}

int HttpParser::OnUrl(http_parser* p, const char* at, size_t len) {
  Self(p)->url_.append(at, len);
  return 0;
}

int HttpParser::OnHeaderField(http_parser* p, const char* at, size_t len) {
  HttpParser* self = Self(p);
  if (self->num_headers_ == 0 || self->last_was_value_) {
    if (self->num_headers_ == self->headers_.size()) self->headers_.emplace_back();
    HttpHeader& h = self->headers_[self->num_headers_++];
    h.name.clear();
    h.value.clear();
  }
  self->headers_[self->num_headers_ - 1].name.append(at, len);
  self->last_was_value_ = false;
  return 0;
}

int HttpParser::OnHeaderValue(http_parser* p, const char* at, size_t len) {
  HttpParser* self = Self(p);
  if (self->num_headers_ == 0) return 0;  // cannot happen: a value follows a field
  self->headers_[self->num_headers_ - 1].value.append(at, len);
  self->last_was_value_ = true;
  return 0;
}

int HttpParser::OnHeadersComplete(http_parser* p) {
  HttpParser* self = Self(p);
  self->keep_alive_ = http_should_keep_alive(p) != 0;
  // 1: the response has no body (it answers HEAD); libhttp-parser's documented convention.
  return (self->kind_ == Kind::kResponse && self->skip_body_) ? 1 : 0;
}

int HttpParser::OnBody(http_parser* p, const char* at, size_t len) {
  HttpParser* self = Self(p);
  self->body_bytes_ += len;
  if (self->collect_) self->body_.append(at, len);
  return 0;
}

int HttpParser::OnMessageComplete(http_parser* p) {
  HttpParser* self = Self(p);
  self->keep_alive_ = http_should_keep_alive(p) != 0;
  self->in_message_ = false;
  self->skip_body_ = false;
  http_parser_pause(p, 1);
  return 0;
}

}  // namespace fwbench::net
