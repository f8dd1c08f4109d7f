// The udp reference responder: answers each datagram with the responder greeting
// (the source address and port it saw) followed by an echo of what came. Used by
// `edgeprobe demo`, `edgeprobe listen` and the tests; can misbehave on purpose.
#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/udp.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>

namespace edgeprobe {

namespace net = boost::asio;

struct udp_responder_options {
  // Answer from a second socket instead of the one asked: bound to `reply_from`
  // (a clustered SQL Server instance answering from the node's address) and/or
  // to `reply_from_port` (0: the port asked). A listening address of 0.0.0.0 or
  // :: already holds its port on every address: give reply_from_port then.
  std::optional<net::ip::address> reply_from;
  std::uint16_t reply_from_port = 0;
  bool silent = false;          // never answer: an open port that ignores what it gets
  std::size_t max_reply = 1472; // greeting + echo are cut to this (one Ethernet frame over IPv4)
};

class udp_responder {
public:
  // Binds at once (port 0: an ephemeral port); throws boost::system::system_error
  // when it cannot.
  udp_responder(net::any_io_executor executor, net::ip::udp::endpoint bind, udp_responder_options options = {});
  ~udp_responder();
  udp_responder(const udp_responder&) = delete;
  udp_responder& operator=(const udp_responder&) = delete;

  net::ip::udp::endpoint local_endpoint() const;
  void start();
  void stop(); // safe from any thread; the serving loop ends on the executor
  std::size_t received() const; // datagrams seen so far (answered or not)

private:
  struct state;
  static net::awaitable<void> serve(std::shared_ptr<state> s);
  std::shared_ptr<state> state_;
};

} // namespace edgeprobe
