// Test helpers: servers on 127.0.0.1 (ephemeral ports) that misbehave on
// purpose, for the hostile battery (tests/integration/hostile_battery_test.cpp).
// TCP behaviours are connection handlers for the tcp responder's listener
// (tcp_responder_options::serve_connection); UDP ones answer each datagram
// with whatever bytes a function makes of it. Each function says what it
// imitates. None of them stops on its own: the battery's io_thread and the
// listeners' stop() end them.
#pragma once
#include "net/tcp_responder.hpp"
#include "probes/tls/responder.hpp"

#include <boost/asio/ip/udp.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace edgeprobe::test::hostile {

using bytes = std::vector<std::uint8_t>;
bytes to_bytes(std::string_view text);

// ---------------------------------------------------------------- TCP

// Accepts and never speaks: reads and drops whatever comes until the client
// leaves (a hung service whose kernel still completes handshakes).
tcp_responder_options never_speaks();

// Sends `text` one byte every `every`, over and over, from the moment of
// accept (a server behind a congested or deliberately slow path, a tarpit).
tcp_responder_options trickles(std::string text, std::chrono::milliseconds every);

// After reading the first bytes of a request, sends `head` once, then `unit`
// again and again as fast as the client reads (a log stream, /dev/urandom
// behind a port, an endless chunked body).
tcp_responder_options floods(std::string head, std::string unit);

// How a connection ends after the answer.
enum class then { close, hold, reset };

// After reading the first bytes of a request (when `after_request`), sends
// `answer` and then closes (FIN), holds the connection silent until the client
// leaves, or resets it (RST, SO_LINGER 0).
tcp_responder_options answers(std::string answer, then ending, bool after_request = true);

// Answers every HTTP request on a connection (keep-alive) with `answer`,
// computed from the request's bytes (a redirect loop answers each request with
// a redirect to the next).
tcp_responder_options http_each(std::function<std::string(const std::string& request)> answer);

// An endpoint mapper that accepts the bind like a real one, then answers the
// ept_map request with `stub` as the response's NDR stub (fragmented as the
// client's max_recv_frag asks). `endless`: the fragments before the last are
// sent again and again, and the last never comes.
tcp_responder_options epm_answering(bytes stub, bool endless = false);

// ept_map response stubs that lie: `towers` ncacn_ip_tcp towers in one answer
// (real mappers send at most what max_towers asked: 1 for the probe).
bytes ept_map_stub_with_towers(std::uint32_t towers);
// One tower of `floors` floors (an RPC tower has 3 to 6).
bytes ept_map_stub_with_floors(std::uint16_t floors);

// ---------------------------------------------------------------- TLS

// A TLS server (the tls responder) whose chain is a leaf for 127.0.0.1 under
// `intermediates` intermediates, all of them sent: a misconfigured server that
// sends its whole CA store as its chain. `root_pem` gets the root.
tls_responder_options long_chain(std::size_t intermediates, std::string& root_pem);

// A TLS server that asks for a client certificate naming CAs whose DER names
// add up to at least `bytes` (a Windows server whose trusted root store has
// grown without bound sends it all in its CertificateRequest).
tls_responder_options huge_client_ca_list(std::size_t bytes);

// ---------------------------------------------------------------- UDP

// Answers each datagram with the datagrams `answer` makes of it (none: silence).
class udp_peer {
public:
  using answer_fn = std::function<std::vector<bytes>(std::span<const std::uint8_t> request,
                                                     const boost::asio::ip::udp::endpoint& from)>;
  udp_peer(boost::asio::any_io_executor executor, answer_fn answer);
  ~udp_peer();
  udp_peer(const udp_peer&) = delete;
  udp_peer& operator=(const udp_peer&) = delete;

  std::uint16_t port() const { return port_; }
  std::string target() const { return "127.0.0.1:" + std::to_string(port_); }
  void stop();

private:
  struct state;
  std::shared_ptr<state> state_;
  std::uint16_t port_ = 0;
};

// STUN answers to a Binding request, each wrong in one way.
// Each is a Binding success response carrying XOR-MAPPED-ADDRESS `from`.
using udp_endpoint = boost::asio::ip::udp::endpoint;
bytes stun_answer_wrong_transaction(std::span<const std::uint8_t> request, const udp_endpoint& from); // another transaction's id
bytes stun_answer_wrong_cookie(std::span<const std::uint8_t> request, const udp_endpoint& from);      // cookie 0xDEADBEEF
bytes stun_answer_many_attributes(std::span<const std::uint8_t> request, const udp_endpoint& from,
                                  std::size_t count); // `count` SOFTWARE attributes before the address
bytes stun_answer_length_lie(std::span<const std::uint8_t> request, const udp_endpoint& from); // header says 0xFFFC bytes follow

// SSRP SVR_RESP datagrams.
bytes ssrp_one_byte();           // 05 alone
bytes ssrp_largest_datagram();   // RESP_SIZE 65,535; as many bytes follow as a UDP datagram over IPv4 holds (65,504)

} // namespace edgeprobe::test::hostile
