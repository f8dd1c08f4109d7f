// How every message and every piece of evidence writes an address and port:
// "10.0.0.5:443", and IPv6 in brackets, "[2001:db8::5]:443".
#pragma once
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/basic_endpoint.hpp>

#include <cstdint>
#include <string>

namespace edgeprobe {

// `address` as written (an IP literal, or a name): bracketed when it holds a colon.
inline std::string endpoint_text(const std::string& address, std::uint16_t port) {
  const bool v6 = address.find(':') != std::string::npos;
  return (v6 ? "[" + address + "]" : address) + ":" + std::to_string(port);
}

inline std::string endpoint_text(const boost::asio::ip::address& address, std::uint16_t port) {
  return endpoint_text(address.to_string(), port);
}

template <class Protocol> std::string endpoint_text(const boost::asio::ip::basic_endpoint<Protocol>& e) {
  return endpoint_text(e.address(), e.port());
}

} // namespace edgeprobe
