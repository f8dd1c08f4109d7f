#include "probes/stun/responder.hpp"

#include "probes/stun/codec.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <openssl/rand.h>

#include <string>

namespace edgeprobe {

using udp = net::ip::udp;

namespace {

constexpr std::string_view software = "edgeprobe responder";

bool is_ms_turn(const stun::message& m) {
  return !m.attributes.empty() && m.attributes.front().type == stun::attr::ms_magic_cookie;
}

std::vector<std::uint8_t> binding_success(const stun::message& m, const udp::endpoint& from, const udp::endpoint& local) {
  stun::encoder e(stun::method::binding, stun::message_class::success, m.cookie, m.id, stun::dialect::rfc);
  e.add_xor_address(stun::attr::xor_mapped_address, from);
  e.add_address(stun::attr::mapped_address, from);
  e.add_address(stun::attr::response_origin, local);
  e.add_text(stun::attr::software, software);
  return e.finish(std::nullopt, true);
}

std::vector<std::uint8_t> error_answer(const stun::message& m, stun::dialect d, int code, std::string_view text,
                                       std::string_view nonce) {
  stun::encoder e(m.method, stun::message_class::error, m.cookie, m.id, d);
  e.add_error_code(code, text);
  if (code == 401) {
    e.add_text(stun::realm_type(d), stun_responder_realm);
    e.add_text(stun::nonce_type(d), nonce);
  }
  if (d == stun::dialect::ms_turn) return e.add_u32(stun::attr::ms_version, 4).finish();
  e.add_text(stun::attr::software, software);
  return e.finish(std::nullopt, true);
}

} // namespace

std::optional<std::vector<std::uint8_t>> stun_responder_answer(std::span<const std::uint8_t> request,
                                                               const udp::endpoint& from, const udp::endpoint& local,
                                                               std::string_view nonce) {
  auto decoded = stun::decode(request, stun::dialect::rfc);
  if (!decoded.value || !is_ms_turn(*decoded.value)) {
    auto ms = stun::decode(request, stun::dialect::ms_turn);
    if (ms.value && is_ms_turn(*ms.value)) decoded = std::move(ms);
  }
  if (!decoded.value) return std::nullopt;
  const auto& m = *decoded.value;
  if (m.klass != stun::message_class::request) return std::nullopt;
  if (is_ms_turn(m)) {
    // What a live Edge answers to an Allocate without MESSAGE-INTEGRITY: the
    // challenge, in its own dialect. Proves the A/V relay is there.
    if (m.method == stun::method::allocate) return error_answer(m, stun::dialect::ms_turn, 401, ms_turn_challenge_text, nonce);
    return error_answer(m, stun::dialect::ms_turn, 400, "Bad Request", nonce);
  }
  if (m.cookie != stun::magic_cookie && m.method != stun::method::binding) return std::nullopt; // old STUN: as coturn
  switch (m.method) {
    case stun::method::binding: return binding_success(m, from, local);
    case stun::method::allocate:
    case stun::method::refresh:
      // It challenges every Allocate and grants none: it is a reachability peer.
      return error_answer(m, stun::dialect::rfc, 401, "Unauthorized", nonce);
    default: return error_answer(m, stun::dialect::rfc, 400, "Bad Request", nonce);
  }
}

struct stun_responder::state {
  explicit state(net::any_io_executor executor) : socket(executor) {}
  udp::socket socket;
  udp::endpoint local;
  std::string nonce;
};

net::awaitable<void> stun_responder::serve(std::shared_ptr<state> s) {
  std::vector<std::uint8_t> buffer(65535);
  for (;;) {
    udp::endpoint from;
    auto [ec, size] = co_await s->socket.async_receive_from(net::buffer(buffer), from, net::as_tuple(net::use_awaitable));
    if (ec) co_return; // closed by stop()
    const auto answer = stun_responder_answer(std::span(buffer.data(), size), from, s->local, s->nonce);
    if (answer) co_await s->socket.async_send_to(net::buffer(*answer), from, net::as_tuple(net::use_awaitable));
  }
}

stun_responder::stun_responder(net::any_io_executor executor, udp::endpoint bind)
    : state_(std::make_shared<state>(executor)) {
  state_->socket.open(bind.protocol());
  state_->socket.bind(bind);
  state_->local = state_->socket.local_endpoint();
  unsigned char random[12];
  RAND_bytes(random, sizeof random);
  static constexpr char digits[] = "0123456789abcdef";
  for (const auto b : random) state_->nonce += {digits[b >> 4], digits[b & 15]};
}

stun_responder::~stun_responder() { stop(); }

udp::endpoint stun_responder::local_endpoint() const { return state_->local; }

void stun_responder::start() { net::co_spawn(state_->socket.get_executor(), serve(state_), net::detached); }

void stun_responder::stop() {
  net::post(state_->socket.get_executor(), [s = state_] {
    boost::system::error_code ignored;
    s->socket.close(ignored);
  });
}

} // namespace edgeprobe
