#include "support/hostile_peers.hpp"

#include "net/cert_maker.hpp"
#include "probes/rpc_epm/dcerpc.hpp"
#include "probes/rpc_epm/responder.hpp"
#include "probes/stun/codec.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <openssl/x509.h>

#include <array>
#include <chrono>
#include <stdexcept>

namespace edgeprobe::test::hostile {

namespace {

using net::ip::tcp;
constexpr auto tuple_awaitable = net::as_tuple(net::use_awaitable);

// Waits for the client's first bytes (a request); false when it left instead.
net::awaitable<bool> first_bytes(tcp::socket& socket) {
  std::array<char, 4096> chunk;
  auto [ec, n] = co_await socket.async_read_some(net::buffer(chunk), tuple_awaitable);
  co_return !ec && n > 0;
}

// Reads and drops until the client closes or the listener stops.
net::awaitable<void> drain(tcp::socket& socket) {
  std::array<char, 4096> chunk;
  for (;;) {
    auto [ec, n] = co_await socket.async_read_some(net::buffer(chunk), tuple_awaitable);
    if (ec) co_return;
  }
}

void reset(tcp::socket& socket) {
  boost::system::error_code ec;
  socket.set_option(tcp::socket::linger(true, 0), ec);
  socket.close(ec);
}

tcp_responder_options serving(std::function<net::awaitable<void>(tcp::socket&)> f) {
  tcp_responder_options o;
  o.idle_timeout = std::chrono::seconds(30);
  o.serve_connection = std::move(f);
  return o;
}

void put_u32(bytes& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}
void align4(bytes& out) {
  while (out.size() % 4) out.push_back(0);
}

// NDR of an ept_map response (little-endian): entry handle, num_towers, the
// towers' conformant-varying pointer array, each twr_t, status 0.
bytes ept_map_stub(const std::vector<bytes>& towers) {
  bytes out(20, 0); // entry_handle: null
  const auto n = static_cast<std::uint32_t>(towers.size());
  put_u32(out, n);
  put_u32(out, n); // max_count
  put_u32(out, 0); // offset
  put_u32(out, n); // actual_count
  for (std::uint32_t i = 0; i < n; ++i) put_u32(out, 3 + i); // referent ids
  for (const auto& t : towers) {
    align4(out);
    put_u32(out, static_cast<std::uint32_t>(t.size())); // conformance
    put_u32(out, static_cast<std::uint32_t>(t.size())); // tower_length
    out.insert(out.end(), t.begin(), t.end());
  }
  align4(out);
  put_u32(out, 0); // status
  return out;
}

dcerpc::tower tcp_tower(std::uint16_t port) {
  auto t = dcerpc::tcp_query_tower(dcerpc::epm_interface);
  t.port = port;
  t.address = "127.0.0.1";
  return t;
}


} // namespace

bytes to_bytes(std::string_view text) { return bytes(text.begin(), text.end()); }

// ---------------------------------------------------------------- TCP

tcp_responder_options never_speaks() {
  return serving([](tcp::socket& socket) -> net::awaitable<void> { co_await drain(socket); });
}

tcp_responder_options trickles(std::string text, std::chrono::milliseconds every) {
  return serving([text, every](tcp::socket& socket) -> net::awaitable<void> {
    net::steady_timer timer(socket.get_executor());
    for (std::size_t i = 0;; i = (i + 1) % text.size()) {
      auto [wec, n] = co_await net::async_write(socket, net::buffer(&text[i], 1), tuple_awaitable);
      if (wec) co_return;
      timer.expires_after(every);
      co_await timer.async_wait(tuple_awaitable);
      if (!socket.is_open()) co_return;
    }
  });
}

tcp_responder_options floods(std::string head, std::string unit) {
  return serving([head, unit](tcp::socket& socket) -> net::awaitable<void> {
    if (!co_await first_bytes(socket)) co_return;
    std::string block = head;
    auto [hec, hn] = co_await net::async_write(socket, net::buffer(block), tuple_awaitable);
    if (hec) co_return;
    block.clear();
    while (block.size() < 64 * 1024) block += unit;
    for (;;) {
      auto [ec, n] = co_await net::async_write(socket, net::buffer(block), tuple_awaitable);
      if (ec) co_return;
    }
  });
}

tcp_responder_options answers(std::string answer, then ending, bool after_request) {
  return serving([answer, ending, after_request](tcp::socket& socket) -> net::awaitable<void> {
    if (after_request && !co_await first_bytes(socket)) co_return;
    if (!answer.empty()) {
      auto [ec, n] = co_await net::async_write(socket, net::buffer(answer), tuple_awaitable);
      if (ec) co_return;
    }
    switch (ending) {
    case then::close: co_return;
    case then::hold: co_await drain(socket); co_return;
    case then::reset: reset(socket); co_return;
    }
  });
}

tcp_responder_options http_each(std::function<std::string(const std::string&)> answer) {
  return serving([answer](tcp::socket& socket) -> net::awaitable<void> {
    std::string pending;
    std::array<char, 4096> chunk;
    for (;;) {
      auto [ec, n] = co_await socket.async_read_some(net::buffer(chunk), tuple_awaitable);
      if (ec) co_return;
      pending.append(chunk.data(), n);
      for (auto end = pending.find("\r\n\r\n"); end != std::string::npos; end = pending.find("\r\n\r\n")) {
        const std::string request = pending.substr(0, end + 4);
        pending.erase(0, end + 4);
        const std::string reply = answer(request);
        auto [wec, wn] = co_await net::async_write(socket, net::buffer(reply), tuple_awaitable);
        if (wec) co_return;
      }
    }
  });
}

tcp_responder_options epm_answering(bytes stub, bool endless) {
  return serving([stub, endless](tcp::socket& socket) -> net::awaitable<void> {
    epm_association association;
    association.local_address = "127.0.0.1";
    const epm_responder_options none;
    bytes buffer;
    std::array<std::uint8_t, 4096> chunk;
    for (;;) {
      while (!dcerpc::framed_size(buffer) || buffer.size() < *dcerpc::framed_size(buffer)) {
        auto [ec, n] = co_await socket.async_read_some(net::buffer(chunk), tuple_awaitable);
        if (ec) co_return;
        buffer.insert(buffer.end(), chunk.begin(), chunk.begin() + static_cast<std::ptrdiff_t>(n));
      }
      const auto size = *dcerpc::framed_size(buffer);
      const bytes pdu(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(size));
      buffer.erase(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(size));
      const auto decoded = dcerpc::decode_pdu(pdu);
      std::vector<bytes> replies;
      if (decoded.value && std::holds_alternative<dcerpc::request_pdu>(*decoded.value)) {
        const auto& request = std::get<dcerpc::request_pdu>(*decoded.value);
        dcerpc::response_pdu response;
        response.head.type = dcerpc::ptype::response;
        response.head.call_id = request.head.call_id;
        response.context_id = request.context_id;
        response.stub = stub;
        replies = dcerpc::encode_fragments(response, association.max_frag);
        if (endless) {
          replies.pop_back();
          for (;;)
            for (const auto& r : replies) {
              auto [ec, n] = co_await net::async_write(socket, net::buffer(r), tuple_awaitable);
              if (ec) co_return;
            }
        }
      } else {
        replies = epm_answer(pdu, association, none); // the bind: accepted like a real mapper
      }
      for (const auto& r : replies) {
        auto [ec, n] = co_await net::async_write(socket, net::buffer(r), tuple_awaitable);
        if (ec) co_return;
      }
    }
  });
}

bytes ept_map_stub_with_towers(std::uint32_t towers) {
  const auto one = dcerpc::encode_tower(tcp_tower(49152));
  if (!one) throw std::logic_error("tower does not encode");
  return ept_map_stub(std::vector<bytes>(towers, *one));
}

bytes ept_map_stub_with_floors(std::uint16_t floors) {
  auto base = dcerpc::build_floors(tcp_tower(49152));
  if (!base) throw std::logic_error("floors do not build");
  std::vector<dcerpc::tower_floor> all = *base;
  while (all.size() < floors) all.push_back({{dcerpc::protocol_id::null}, {0, 0}});
  all.resize(floors);
  return ept_map_stub({dcerpc::encode_floors(all)});
}

// ---------------------------------------------------------------- TLS

namespace {

struct made {
  ossl::x509 cert;
  ossl::pkey key;
};

made make(const std::string& cn, bool ca, const made* issuer, std::uint64_t serial) {
  const auto now =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  cert_request r;
  r.common_name = cn;
  r.organization = "edgeprobe hostile peers";
  r.not_before = now - 86400;
  r.not_after = now + 30 * 86400;
  r.serial = serial;
  r.ca = ca;
  if (!ca) r.ip_addresses = {"127.0.0.1"};
  made out{{}, make_key(key_kind::ec_p256)};
  std::string error;
  out.cert = make_certificate(r, out.key.get(), issuer ? issuer->cert.get() : nullptr,
                              issuer ? issuer->key.get() : nullptr, error);
  if (!out.cert) throw std::runtime_error("certificate: " + error);
  return out;
}

} // namespace

tls_responder_options long_chain(std::size_t intermediates, std::string& root_pem) {
  made root = make("hostile root", true, nullptr, 1);
  root_pem = to_pem(root.cert.get());
  std::vector<std::string> issued; // intermediates, top first
  made above = std::move(root);
  for (std::size_t i = 0; i < intermediates; ++i) {
    made next = make("hostile intermediate " + std::to_string(i + 1), true, &above, 2 + i);
    issued.push_back(to_pem(next.cert.get()));
    above = std::move(next);
  }
  made leaf = make("hostile leaf", false, &above, 1000);
  tls_responder_options o;
  o.tls.chain_pem = to_pem(leaf.cert.get());
  for (auto it = issued.rbegin(); it != issued.rend(); ++it) o.tls.chain_pem += *it; // leaf's issuer first
  o.tls.key_pem = to_pem(leaf.key.get());
  return o;
}

tls_responder_options huge_client_ca_list(std::size_t bytes_wanted) {
  std::string root_pem;
  auto o = long_chain(0, root_pem);
  const auto key = make_key(key_kind::ec_p256);
  std::size_t total = 0;
  for (std::uint64_t i = 0; total < bytes_wanted; ++i) {
    const auto now =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    cert_request r;
    r.common_name = "Fabrikam Enterprise Issuing CA for the whole fleet " + std::to_string(i);
    r.organization = "Fabrikam trusted roots nobody pruned since 2009";
    r.organizational_unit = "Certification Services";
    r.not_before = now - 86400;
    r.not_after = now + 86400;
    r.serial = 5000 + i;
    r.ca = true;
    std::string error;
    auto cert = make_certificate(r, key.get(), nullptr, nullptr, error);
    if (!cert) throw std::runtime_error("certificate: " + error);
    total += 2 + static_cast<std::size_t>(i2d_X509_NAME(X509_get_subject_name(cert.get()), nullptr));
    o.tls.client_ca_pem += to_pem(cert.get());
  }
  return o;
}

// ---------------------------------------------------------------- UDP

struct udp_peer::state {
  explicit state(net::any_io_executor ex) : socket(ex, net::ip::udp::endpoint(net::ip::make_address("127.0.0.1"), 0)) {}
  net::ip::udp::socket socket;
  answer_fn answer;
};

udp_peer::udp_peer(net::any_io_executor executor, answer_fn answer) : state_(std::make_shared<state>(executor)) {
  state_->answer = std::move(answer);
  port_ = state_->socket.local_endpoint().port();
  net::co_spawn(
      executor,
      [s = state_]() -> net::awaitable<void> {
        std::vector<std::uint8_t> datagram(65536);
        for (;;) {
          net::ip::udp::endpoint from;
          auto [ec, n] = co_await s->socket.async_receive_from(net::buffer(datagram), from, tuple_awaitable);
          if (ec == net::error::operation_aborted || !s->socket.is_open()) co_return;
          if (ec) continue;
          for (const auto& reply : s->answer(std::span(datagram.data(), n), from)) {
            auto [sec, sn] = co_await s->socket.async_send_to(net::buffer(reply), from, tuple_awaitable);
            if (sec == net::error::operation_aborted) co_return;
          }
        }
      },
      net::detached);
}

udp_peer::~udp_peer() { stop(); }

void udp_peer::stop() {
  net::post(state_->socket.get_executor(), [s = state_] {
    boost::system::error_code ec;
    s->socket.close(ec);
  });
}

namespace {

stun::transaction_id id_of(std::span<const std::uint8_t> request) {
  stun::transaction_id id{};
  if (request.size() >= stun::header_size) std::copy(request.begin() + 8, request.begin() + 20, id.begin());
  return id;
}

} // namespace

bytes stun_answer_wrong_transaction(std::span<const std::uint8_t> request, const udp_endpoint& from) {
  auto id = id_of(request);
  for (auto& b : id) b ^= 0x5A;
  return stun::encoder(stun::method::binding, stun::message_class::success, stun::magic_cookie, id, stun::dialect::rfc)
      .add_xor_address(stun::attr::xor_mapped_address, from)
      .finish(std::nullopt, true);
}

bytes stun_answer_wrong_cookie(std::span<const std::uint8_t> request, const udp_endpoint& from) {
  return stun::encoder(stun::method::binding, stun::message_class::success, 0xDEADBEEF, id_of(request),
                       stun::dialect::rfc)
      .add_xor_address(stun::attr::xor_mapped_address, from)
      .finish(std::nullopt, true);
}

bytes stun_answer_many_attributes(std::span<const std::uint8_t> request, const udp_endpoint& from, std::size_t count) {
  stun::encoder e(stun::method::binding, stun::message_class::success, stun::magic_cookie, id_of(request),
                  stun::dialect::rfc);
  for (std::size_t i = 0; i < count; ++i) e.add_text(stun::attr::software, "x");
  e.add_xor_address(stun::attr::xor_mapped_address, from);
  return e.finish(std::nullopt, true);
}

bytes stun_answer_length_lie(std::span<const std::uint8_t> request, const udp_endpoint& from) {
  auto b = stun::encoder(stun::method::binding, stun::message_class::success, stun::magic_cookie, id_of(request),
                         stun::dialect::rfc)
               .add_xor_address(stun::attr::xor_mapped_address, from)
               .finish();
  b[2] = 0xFF;
  b[3] = 0xFC;
  return b;
}

bytes ssrp_one_byte() { return {0x05}; }

bytes ssrp_largest_datagram() {
  bytes b{0x05, 0xFF, 0xFF};
  const std::string record = "ServerName;HOSTILE;InstanceName;I;IsClustered;No;Version;15.0.2000.5;tcp;1433;;";
  while (b.size() < 65507) b.push_back(static_cast<std::uint8_t>(record[(b.size() - 3) % record.size()]));
  return b;
}

} // namespace edgeprobe::test::hostile
