// DNS through c-ares driven by Asio: the only resolver in edgeprobe (no
// getaddrinfo anywhere — it cannot be cancelled or given a deadline).
#pragma once
#include "core/check.hpp"
#include "core/clock.hpp"
#include "core/reasons.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/address.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace edgeprobe {

namespace net = boost::asio;

// Addresses for a name the runner is about to connect to.
struct host_lookup {
  std::vector<net::ip::address> addresses; // in the resolver's order; empty on failure
  reason why = reason::none;               // dns.nxdomain, dns.timeout, dns.no_address, ...
  std::string message;
  std::string resolver_used;               // "127.0.0.53:53", "system (resolv.conf: 10.0.0.2)"
  std::optional<clock::time_point> arrived; // when the last answer reached this host (kernel stamp)
};

// A raw DNS answer for the dns probe, which parses it with its codec.
struct dns_answer {
  reason why = reason::none;          // set when no answer came (dns.timeout) or the query failed locally
  std::string message;
  std::vector<std::uint8_t> response; // the whole DNS response message as received
  std::string resolver_used;
  std::string server_address;         // the server that answered, "ip:port"
  // When the query last left and its response arrived (the kernel's stamp over
  // UDP): their difference is the network's round trip, whatever the thread was doing.
  std::optional<clock::time_point> sent, arrived;
};

class resolver {
public:
  // Throws std::invalid_argument when `spec.server` is not "system" or an IP[:port].
  resolver(net::any_io_executor executor, const resolver_spec& spec);
  ~resolver();
  resolver(const resolver&) = delete;
  resolver& operator=(const resolver&) = delete;

  // A and/or AAAA for `host` (IP literals are returned as they are, without a query).
  net::awaitable<host_lookup> lookup_host(std::string host, address_family family,
                                          clock::time_point deadline);

  // One query of `qtype` (1 = A, 28 = AAAA, 33 = SRV, ...) for `name`.
  net::awaitable<dns_answer> query(std::string name, std::uint16_t qtype, clock::time_point deadline);

  const resolver_spec& spec() const;

  struct impl; // the channels and the questions in flight (resolver.cpp)

private:
  std::unique_ptr<impl> impl_;
};

} // namespace edgeprobe
