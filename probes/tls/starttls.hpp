// The plain-text prelude before TLS on ports that upgrade (`starttls: smtp`):
// read the greeting, EHLO, check STARTTLS is offered, ask for it.
#pragma once
#include "core/clock.hpp"
#include "core/result.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <nlohmann/json.hpp>

namespace edgeprobe {

namespace net = boost::asio;

struct starttls_outcome {
  bool ok = false;
  status state = status::pass; // when not ok
  reason why = reason::none;
  std::string message;
  nlohmann::json transcript = nlohmann::json::array(); // "S: 220 …", "C: EHLO …"
};

net::awaitable<starttls_outcome> smtp_starttls(net::ip::tcp::socket& socket, const net::ip::tcp::endpoint& local,
                                               clock::time_point deadline);

// RFC 5321 address literal for EHLO: "[192.0.2.1]", "[IPv6:2001:db8::1]".
std::string ehlo_literal(const net::ip::address& a);

} // namespace edgeprobe
