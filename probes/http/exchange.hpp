// One HTTP/1.1 request and its response on an open connection. Writing and
// parsing are Boost.Beast's (no hand-written HTTP); this file feeds Beast the
// bytes the connection reads, under the check's deadline, with limits on what a
// hostile server can make it hold, and times the request, the first byte and
// the transfer as phases.
#pragma once
#include "core/phase_log.hpp"
#include "probes/http/connection.hpp"

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace edgeprobe {

using http_fields = std::vector<std::pair<std::string, std::string>>;

// Every value of header `name` (case-insensitive), in order; the first, or "".
std::vector<std::string> field_values(const http_fields& fields, std::string_view name);
std::string field_value(const http_fields& fields, std::string_view name);

struct http_request {
  std::string method = "GET";
  std::string target = "/";
  std::string host;              // the Host header
  http_fields headers;           // beyond Host, User-Agent, Content-Length (a header given here wins)
  std::string body;
};

struct http_limits {
  std::size_t max_header_bytes = 64 * 1024;
  std::size_t max_body_bytes = 4 * 1024 * 1024; // more is read no further: the body is cut, not failed
};

struct http_response {
  unsigned status = 0;
  std::string reason;            // the reason phrase as sent
  http_fields headers;           // in order, as sent
  std::string body;
  bool body_cut = false;         // longer than max_body_bytes: `body` holds the first part
  bool keep_alive = false;       // the connection may carry another request
  double first_byte_ms = 0;      // from the end of the request to the first byte of the answer
  double transfer_ms = 0;        // from the first byte to the last
  std::size_t bytes = 0;         // as received (headers and body, before any decoding)

  // Every value of `name` (case-insensitive), in order.
  std::vector<std::string> values(std::string_view name) const;
  std::string value(std::string_view name) const; // the first, or ""
};

struct http_exchange {
  // reset: the transport failed (tcp.reset), whatever had been read.
  enum class failure { none, send, timeout, closed, reset, malformed, io };
  failure failed = failure::none;
  std::string what;              // why, in words, when failed
  http_response response;        // what was read
};

// `phases`: request, first_byte, transfer. HEAD reads no body.
net::awaitable<http_exchange> exchange(http_connection& connection, const http_request& request,
                                       clock::time_point deadline, phase_log& phases, const http_limits& limits = {});

// The request as it goes on the wire (Beast's serializer), for tests and fuzzing.
std::string serialize_request(const http_request& request);

} // namespace edgeprobe
