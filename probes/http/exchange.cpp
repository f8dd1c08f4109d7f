#include "probes/http/exchange.hpp"

#include "wire/ascii.hpp"

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <array>
#include <sstream>

namespace edgeprobe {

namespace http = boost::beast::http;

std::vector<std::string> field_values(const http_fields& fields, std::string_view name) {
  std::vector<std::string> out;
  for (const auto& [n, v] : fields)
    if (iequals_ascii(n, name)) out.push_back(v);
  return out;
}

std::string field_value(const http_fields& fields, std::string_view name) {
  for (const auto& [n, v] : fields)
    if (iequals_ascii(n, name)) return v;
  return {};
}

std::vector<std::string> http_response::values(std::string_view name) const { return field_values(headers, name); }

std::string http_response::value(std::string_view name) const { return field_value(headers, name); }

std::string serialize_request(const http_request& request) {
  http::request<http::string_body> message;
  message.method_string(request.method);
  message.target(request.target);
  message.version(11);
  message.set(http::field::host, request.host);
  message.set(http::field::user_agent, "edgeprobe/" EDGEPROBE_VERSION);
  message.set(http::field::accept, "*/*");
  for (const auto& [name, value] : request.headers) message.set(name, value);
  message.body() = request.body;
  // A body, or a method that usually has one, says its length; GET and HEAD without one do not.
  if (!request.body.empty() || (request.method != "GET" && request.method != "HEAD")) message.prepare_payload();
  std::ostringstream out;
  out << message;
  return out.str();
}

net::awaitable<http_exchange> exchange(http_connection& connection, const http_request& request,
                                       clock::time_point deadline, phase_log& phases, const http_limits& limits) {
  http_exchange out;
  {
    auto phase = phases.begin("request");
    const auto sent = co_await connection.write_all(serialize_request(request), deadline);
    if (sent.timed_out || !sent.error.empty() || sent.closed) {
      out.failed = sent.timed_out ? http_exchange::failure::timeout
                   : sent.reset   ? http_exchange::failure::reset
                                  : http_exchange::failure::send;
      out.what = sent.timed_out ? "the deadline passed while sending the request"
                 : sent.reset   ? "the connection was reset while sending the request (" + sent.error + ")"
                                : "sending the request failed: " + (sent.error.empty() ? "connection closed" : sent.error);
      co_return out;
    }
  }

  http::response_parser<http::string_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(limits.max_header_bytes));
  parser.body_limit(limits.max_body_bytes);
  parser.eager(true);
  if (request.method == "HEAD") parser.skip(true);

  auto& res = out.response;
  const auto requested = clock::now();
  auto waiting = phases.begin("first_byte");
  std::optional<phase_log::scope> transfer;
  clock::time_point first_byte{};
  std::string pending; // bytes read and not yet consumed by the parser
  std::array<char, 16 * 1024> chunk;
  for (;;) {
    const auto got = co_await connection.read_some(chunk.data(), chunk.size(), deadline);
    boost::system::error_code ec;
    if (got.bytes > 0) {
      if (!transfer) {
        first_byte = clock::now();
        res.first_byte_ms = to_ms(first_byte - requested);
        waiting.end();
        transfer.emplace(phases.begin("transfer"));
      }
      res.bytes += got.bytes;
      pending.append(chunk.data(), got.bytes);
      while (!pending.empty() && !parser.is_done()) {
        const auto used = parser.put(net::buffer(pending), ec);
        pending.erase(0, used);
        if (ec == http::error::need_more) {
          ec = {};
          break;
        }
        if (ec) break;
        if (used == 0) break;
      }
    } else if (got.closed) {
      if (res.bytes == 0) {
        out.failed = http_exchange::failure::closed;
        out.what = "the server closed the connection without answering";
        co_return out;
      }
      parser.put_eof(ec); // a body delimited by the end of the connection ends here
      if (!ec && !parser.is_done()) ec = http::error::partial_message;
    } else if (got.timed_out) {
      out.failed = http_exchange::failure::timeout;
      out.what = res.bytes == 0 ? "no answer before the deadline"
                                : "the answer was not complete at the deadline (" + std::to_string(res.bytes) + " bytes read)";
      break;
    } else if (got.reset) {
      out.failed = http_exchange::failure::reset;
      out.what = res.bytes == 0 ? "the connection was reset before any answer (" + got.error + ")"
                                : "the connection was reset after " + std::to_string(res.bytes) +
                                      " bytes of the answer (" + got.error + ")";
      break;
    } else {
      out.failed = http_exchange::failure::io;
      out.what = "reading the answer failed: " + got.error;
      break;
    }
    if (ec == http::error::body_limit) {
      res.body_cut = true; // enough to judge; a monitoring check does not need the rest
      ec = {};
      break;
    }
    if (ec) {
      out.failed = http_exchange::failure::malformed;
      out.what = (ec == http::error::header_limit ? "the headers are larger than " +
                                                         std::to_string(limits.max_header_bytes) + " bytes"
                                                   : "the answer is not valid HTTP/1.1: " + ec.message());
      break;
    }
    if (parser.is_done() || got.closed) break;
  }
  if (transfer) res.transfer_ms = to_ms(clock::now() - first_byte);
  if (parser.is_header_done()) {
    const auto& message = parser.get();
    res.status = message.result_int();
    res.reason = std::string(message.reason());
    for (const auto& field : message) res.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    res.body = message.body();
    res.keep_alive = parser.is_done() && !res.body_cut && message.keep_alive();
    if (out.failed == http_exchange::failure::timeout && !parser.is_done()) res.keep_alive = false;
  }
  co_return out;
}

} // namespace edgeprobe
