// The stun/turn reference responder (UDP): answers Binding requests with the
// address it saw, challenges RFC Allocate requests with a 401 (REALM, NONCE) as
// any TURN server does, and answers an MS-TURN Allocate the way a live Lync /
// Skype for Business Edge answers an unauthenticated one. It grants no
// allocations (coturn is the peer for that). For `demo`, `listen` and the tests.
#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/udp.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

namespace edgeprobe {

namespace net = boost::asio;

constexpr const char* stun_responder_realm = "edgeprobe.responder";
constexpr const char* ms_turn_challenge_text = "The request did not contain a Message-Integrity attribute";

// The answer to one datagram (nullopt: stay silent, as servers do for what is
// not a STUN request). Pure; `nonce` is the challenge's NONCE.
std::optional<std::vector<std::uint8_t>> stun_responder_answer(std::span<const std::uint8_t> request,
                                                               const net::ip::udp::endpoint& from,
                                                               const net::ip::udp::endpoint& local,
                                                               std::string_view nonce);

class stun_responder {
public:
  // Binds at once (port 0: an ephemeral port); throws boost::system::system_error.
  stun_responder(net::any_io_executor executor, net::ip::udp::endpoint bind);
  ~stun_responder();
  stun_responder(const stun_responder&) = delete;
  stun_responder& operator=(const stun_responder&) = delete;

  net::ip::udp::endpoint local_endpoint() const;
  void start();
  void stop(); // safe from any thread

private:
  struct state;
  static net::awaitable<void> serve(std::shared_ptr<state> s);
  std::shared_ptr<state> state_;
};

} // namespace edgeprobe
