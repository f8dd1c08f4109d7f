#include "probes/stun/channel.hpp"

#include "core/deadline.hpp"
#include "net/cert_facts.hpp"
#include "net/connect_judge.hpp"
#include "net/endpoint_text.hpp"
#include "net/tcp_connect.hpp"
#include "net/tls_context.hpp"
#include "net/tls_handshake_failure.hpp"
#include "net/tls_session.hpp"
#include "net/udp_evidence.hpp"
#include "probes/stun/codec.hpp"
#include "probes/tls/session_facts.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <algorithm>
#include <array>

namespace edgeprobe {

namespace {

using udp = net::ip::udp;
using tcp = net::ip::tcp;

constexpr std::size_t max_stream_bytes = 65536; // a STUN message is at most 20 + 65535 bytes

// The 16 bytes that pair an answer with its request: the cookie and the 12-byte
// ID (MS-TURN's 16-byte transaction ID is the same span).
bool same_transaction(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) {
  return a.size() >= stun::header_size && b.size() >= stun::header_size &&
         std::equal(a.begin() + 4, a.begin() + 20, b.begin() + 4);
}

udp::endpoint as_udp(const tcp::endpoint& e) { return {e.address(), e.port()}; }

class udp_channel final : public stun_channel {
public:
  udp_channel(net::any_io_executor executor, udp::endpoint target) : executor_(std::move(executor)), target_(target) {}

  net::awaitable<stun_reply> exchange(std::vector<std::uint8_t> request, clock::time_point deadline) override {
    udp_request r;
    r.target = target_;
    r.source_port = port_; // after the first request: the same local port, the same 5-tuple
    // An answer to another transaction is someone else's; anything else that
    // is not STUN is taken, so "another service answers" is reported.
    r.accept = [request](std::span<const std::uint8_t> bytes, const udp::endpoint&) {
      return !stun::looks_like_stun(bytes) || same_transaction(bytes, request);
    };
    const auto sent_bytes = request.size();
    r.payload = std::move(request);
    auto report = co_await udp_exchange(std::move(r), deadline);
    if (report.local.port() != 0) {
      port_ = report.local.port();
      local_ = report.local;
    }
    stun_reply out;
    out.evidence = {{"transport", "udp"},
                    {"sent_bytes", sent_bytes},
                    {"transmissions", transmissions_json(report, report.started)}};
    switch (report.outcome) {
      case udp_outcome::answered:
        out.how = stun_reply::ended::answered;
        out.bytes = report.answer;
        out.from = report.answer_from;
        out.from_other_address = report.from_other_address || report.from_other_port;
        if (const auto rtt = answer_rtt(report)) out.rtt_ms = to_ms(*rtt);
        out.arrived = stamped_arrival(report);
        break;
      case udp_outcome::icmp_error: out.how = stun_reply::ended::icmp_error; out.detail = icmp_text(report); break;
      case udp_outcome::silence: out.how = stun_reply::ended::silence; break;
      case udp_outcome::local_error:
        out.how = stun_reply::ended::local_error;
        out.detail = report.failed_step + ": " + report.error.message();
        break;
    }
    if (report.ignored) out.evidence["ignored_datagrams"] = report.ignored;
    out.udp = std::move(report);
    co_return out;
  }

  udp::endpoint local() const override { return local_; }
  net::awaitable<void> close(clock::time_point) override { co_return; }

private:
  net::any_io_executor executor_;
  udp::endpoint target_;
  std::uint16_t port_ = 0;
  udp::endpoint local_;
};

// TCP or TLS: one connection, messages framed by their own header (RFC 5389 §7.2.2).
class stream_channel final : public stun_channel {
public:
  stream_channel(tcp::socket socket, std::shared_ptr<SSL_CTX> context)
      : socket_(std::move(socket)), context_(std::move(context)) {
    if (context_) session_ = std::make_unique<tls_session>(socket_, context_.get(), tls_role::client);
  }

  tls_session* session() { return session_.get(); }
  tcp::socket& socket() { return socket_; }

  net::awaitable<stun_reply> exchange(std::vector<std::uint8_t> request, clock::time_point deadline) override {
    stun_reply out;
    boost::system::error_code ec;
    out.from = as_udp(socket_.remote_endpoint(ec)); // unset once the peer reset the connection
    out.evidence = {{"transport", session_ ? "tls" : "tcp"}, {"sent_bytes", request.size()}};
    const auto started = clock::now();
    if (auto error = co_await write(request, deadline); !error.empty()) {
      out.how = error == "timeout" ? stun_reply::ended::silence : stun_reply::ended::closed;
      out.detail = "sending the request: " + error;
      co_return out;
    }
    for (;;) {
      // A whole message at the front of the buffer?
      const std::span<const std::uint8_t> have(buffer_.data(), buffer_.size());
      if (!have.empty() && !stun::looks_like_stun(have)) { // another protocol answers: hand over what came
        out.how = stun_reply::ended::answered;
        out.bytes = std::move(buffer_);
        buffer_.clear();
        break;
      }
      if (const auto size = stun::framed_size(have); size && have.size() >= *size) {
        std::vector<std::uint8_t> message(have.begin(), have.begin() + static_cast<std::ptrdiff_t>(*size));
        buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(*size));
        if (!same_transaction(message, request)) continue; // an answer to something else: skip it
        out.how = stun_reply::ended::answered;
        out.bytes = std::move(message);
        break;
      }
      std::array<std::uint8_t, 4096> chunk;
      std::string error;
      const auto n = co_await read(chunk, deadline, error);
      if (n == 0) {
        out.how = error == "timeout" ? stun_reply::ended::silence : stun_reply::ended::closed;
        out.detail = error;
        break;
      }
      if (buffer_.size() + n > max_stream_bytes + stun::header_size) {
        out.how = stun_reply::ended::answered; // let the decoder say what is wrong with it
        out.bytes = std::move(buffer_);
        buffer_.clear();
        break;
      }
      buffer_.insert(buffer_.end(), chunk.begin(), chunk.begin() + static_cast<std::ptrdiff_t>(n));
    }
    out.rtt_ms = to_ms(clock::now() - started);
    out.evidence["received_bytes"] = out.bytes.size();
    co_return out;
  }

  udp::endpoint local() const override {
    boost::system::error_code ec;
    const auto e = socket_.local_endpoint(ec);
    return ec ? udp::endpoint{} : as_udp(e);
  }

  net::awaitable<void> close(clock::time_point deadline) override {
    if (session_) co_await session_->shutdown(std::min(deadline, clock::now() + std::chrono::milliseconds(100)));
    close_connection(socket_, false);
  }

private:
  // "" when all was written; else "timeout" or the error.
  net::awaitable<std::string> write(const std::vector<std::uint8_t>& bytes, clock::time_point deadline) {
    if (session_) {
      const auto r = co_await session_->write_all(
          std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()), deadline);
      co_return r.timed_out ? "timeout" : r.error;
    }
    auto sent = co_await until(deadline, net::async_write(socket_, net::buffer(bytes),
                                                          net::deferred));
    if (!sent) co_return "timeout";
    const auto ec = std::get<0>(*sent);
    co_return ec ? ec.message() : "";
  }

  // Bytes read (0 at the end, with `error` saying why: "timeout", "closed", ...).
  net::awaitable<std::size_t> read(std::array<std::uint8_t, 4096>& chunk, clock::time_point deadline,
                                   std::string& error) {
    if (session_) {
      const auto r = co_await session_->read_some(reinterpret_cast<char*>(chunk.data()), chunk.size(), deadline);
      if (r.bytes == 0) error = r.timed_out ? "timeout" : r.closed ? "the server closed the connection" : r.error;
      co_return r.bytes;
    }
    auto got = co_await until(deadline, socket_.async_read_some(net::buffer(chunk), net::deferred));
    if (!got) {
      error = "timeout";
      co_return 0;
    }
    const auto [ec, n] = *got;
    if (ec) error = ec == net::error::eof ? "the server closed the connection" : ec.message();
    co_return n;
  }

  tcp::socket socket_;
  std::shared_ptr<SSL_CTX> context_;
  std::unique_ptr<tls_session> session_;
  std::vector<std::uint8_t> buffer_;
};

// What the TLS handshake showed, briefly: the tls probe is the place for the
// certificate's judgement.
nlohmann::json tls_summary(const tls_session& session) {
  const SSL* ssl = session.native();
  nlohmann::json j = {{"version", tls_version_text(SSL_version(ssl))}};
  if (const SSL_CIPHER* c = SSL_get_current_cipher(ssl)) j["cipher"] = SSL_CIPHER_get_name(c);
  const auto chain = sent_chain(ssl);
  if (!chain.empty()) {
    const auto leaf = read_cert_facts(chain.front().get());
    const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    j["certificate"] = {{"subject", leaf.subject}, {"issuer", leaf.issuer}, {"not_after", utc_text(leaf.not_after)},
                        {"days_left", days_left(leaf, now)}, {"sans", leaf.san_list()}};
  }
  return j;
}

} // namespace

net::awaitable<std::unique_ptr<stun_channel>> open_stun_channel(probe_context& ctx, const stun_channel_settings& cfg,
                                                                verdict& v) {
  if (cfg.transport == stun_transport::udp)
    co_return std::make_unique<udp_channel>(ctx.executor, udp::endpoint(*ctx.address, ctx.port));

  const tcp::endpoint remote(*ctx.address, ctx.port);
  auto r = co_await connect_and_judge(ctx, remote, connect_settings{}, v, v.details);
  if (!r.connected()) co_return nullptr;

  auto channel = std::make_unique<stream_channel>(std::move(*r.socket), cfg.tls_context);
  if (auto* session = channel->session()) {
    const std::string sni = cfg.sni.value_or(ctx.check.target.host);
    session->set_server_name(sni);
    handshake_outcome h;
    {
      auto phase = ctx.phases.begin("tls");
      h = co_await session->handshake(ctx.deadline);
    }
    if (!h.ok()) {
      const bool sni_sent = SSL_get_servername(session->native(), TLSEXT_NAMETYPE_host_name) != nullptr;
      judge_handshake_failure(h, {endpoint_text(remote), sni_sent ? sni : "", session->client_cert_requested(), false,
                                  TLS1_VERSION, TLS1_3_VERSION},
                              v);
      close_connection(channel->socket(), true);
      co_return nullptr;
    }
    v.details["tls"] = tls_summary(*session);
  }
  co_return channel;
}

} // namespace edgeprobe
