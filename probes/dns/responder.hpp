// A small authoritative DNS server for one zone, over UDP and TCP: the reference
// peer for `edgeprobe demo`, `listen` and the tests.
#pragma once
#include "wire/dns/codec.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace edgeprobe {

namespace net = boost::asio;

struct dns_zone {
  std::string origin;                  // "demo.edgeprobe.test"
  std::vector<dns::record> records;    // names in presentation form, inside `origin`
  std::vector<std::string> servfail;   // names answered with SERVFAIL (to show dns.servfail)
  dns::soa_rdata soa;                  // for NXDOMAIN and NODATA answers
};

// The addresses the zone's names resolve to for responders listening on
// `served`: those addresses themselves, loopback ones for a wildcard (0.0.0.0:
// 127.0.0.1-3; "::": ::1). Never an address off the machine.
std::vector<net::ip::address> answered_addresses(const std::vector<net::ip::address>& served);

// demo.edgeprobe.test: A/AAAA for answered_addresses(served), a CNAME, SRV
// _sip._tls, TXT, MX, NS; app. has the first two IPv4 addresses; broken.
// answers SERVFAIL; other names in the zone are NXDOMAIN, names outside it REFUSED.
dns_zone demo_zone(const std::vector<net::ip::address>& served);

// The answer to one query message, or nullopt when the bytes are not a query worth
// answering (not parseable, or a response). Pure: the responder's whole logic.
std::optional<std::vector<std::uint8_t>> answer_query(const dns_zone& zone, std::span<const std::uint8_t> query);

class dns_responder {
public:
  dns_responder(net::any_io_executor executor, net::ip::address address, std::uint16_t port /*0=ephemeral*/,
                dns_zone zone);
  ~dns_responder();
  dns_responder(const dns_responder&) = delete;
  dns_responder& operator=(const dns_responder&) = delete;

  std::uint16_t port() const; // UDP and TCP share it
  void start();
  void stop();

private:
  struct state;
  std::shared_ptr<state> state_;
};

} // namespace edgeprobe
