#pragma once
// One request on a fresh connection, read to the end even when the server answers before the
// request is fully sent and then closes. A server refusing an oversized upload (413) does that:
// it reads the headers, answers and closes with the body unread, so the kernel resets the
// connection and the client's write fails while the answer already sits in its receive buffer.
// cpp-httplib gives up at the failed write; this keeps reading, as curl does.
#include <string>

#include "verify/http_client.h"

namespace fwbench::verify {

// Sends `request` to HOST:PORT (HOST without IPv6 brackets) with "Connection: close" and returns
// the response. A failed write (EPIPE, ECONNRESET) stops the sending, not the reading. Throws
// fwbench::Error naming the address when the connect fails, no whole response arrives, or
// `timeout_s` passes without progress.
HttpResponse ExchangeOnFreshConnection(const std::string& host, int port,
                                       const HttpRequest& request, int timeout_s);

}  // namespace fwbench::verify
