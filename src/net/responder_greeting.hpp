// The line every edgeprobe responder sends first: who it saw connecting. Lets a
// probe through `edgeprobe listen` prove the path and reveal NAT or a proxy.
//   EDGEPROBE-RESPONDER/1 probe=tcp you=198.51.100.7:50123 me=10.0.0.5:443\r\n
// IPv6 addresses are bracketed: you=[2001:db8::7]:50123.
#pragma once
#include <boost/asio/ip/address.hpp>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace edgeprobe {

struct responder_greeting {
  std::string responder;  // "tcp", "udp", "dns", ...
  std::string you_address; // the source address the responder saw
  std::uint16_t you_port = 0;
  std::string me_address;  // the responder's own local address
  std::uint16_t me_port = 0;
};

std::string format_greeting(const responder_greeting& g); // ends in "\r\n"

// Parses a greeting at the start of `bytes` (the rest may be anything, e.g. an
// echo); nullopt when the bytes do not start with a well-formed greeting.
std::optional<responder_greeting> parse_greeting(std::string_view bytes);

// The greeting held against the endpoint this side really used. Every probe
// reports it the same way, as details.responder.
struct greeting_comparison {
  bool translated = false;  // the responder saw another address or port: NAT or a proxy
  std::string seen;         // the endpoint the responder saw, as text ("[::1]:5000")
  nlohmann::json evidence;  // {responder, saw:{address,port}, me:{address,port}, translated}
};

greeting_comparison compare_greeting(const responder_greeting& g, const boost::asio::ip::address& local_address,
                                     std::uint16_t local_port);

// A v4-mapped IPv6 address and its IPv4 form are the same host for comparisons.
boost::asio::ip::address unmapped(const boost::asio::ip::address& a);

} // namespace edgeprobe
