#include "net/tls_session.hpp"

#include "core/deadline.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <openssl/err.h>

#include <array>

namespace edgeprobe {

struct tls_session_callbacks {
  static tls_session* of(const SSL* ssl) { return static_cast<tls_session*>(SSL_get_app_data(ssl)); }

  static void info(const SSL* ssl, int where, int value) {
    if (!(where & SSL_CB_ALERT)) return;
    auto* s = of(ssl);
    const std::string text = SSL_alert_desc_string_long(value);
    if (where & SSL_CB_READ) {
      if (s->alert_received_.empty()) s->alert_received_ = text;
    } else if (s->alert_sent_.empty() && text != "close notify") {
      s->alert_sent_ = text;
    }
  }

  // Called when a server sends a CertificateRequest (whether or not this
  // client has a certificate to offer).
  static int certificate_requested(SSL* ssl, void*) {
    of(ssl)->cert_requested_ = true;
    return 1;
  }
};

namespace {

// The first bytes of a TLS stream are a record header: content type 20-24, then
// major version 3. Anything else is another protocol speaking.
bool looks_like_tls(std::string_view first) {
  if (first.empty()) return true;
  const auto type = static_cast<unsigned char>(first[0]);
  if (type < 20 || type > 24) return false;
  return first.size() < 2 || first[1] == 3;
}

} // namespace

tls_session::tls_session(net::ip::tcp::socket& socket, SSL_CTX* ctx, tls_role role)
    : socket_(socket), ssl_(SSL_new(ctx)) {
  if (!ssl_) throw std::runtime_error("SSL_new failed: " + ossl::take_errors());
  in_ = BIO_new(BIO_s_mem());
  out_ = BIO_new(BIO_s_mem());
  SSL_set_bio(ssl_.get(), in_, out_);
  SSL_set_app_data(ssl_.get(), this);
  SSL_set_info_callback(ssl_.get(), tls_session_callbacks::info);
  if (role == tls_role::client) {
    SSL_set_connect_state(ssl_.get());
    SSL_set_cert_cb(ssl_.get(), tls_session_callbacks::certificate_requested, nullptr);
    SSL_set_tlsext_status_type(ssl_.get(), TLSEXT_STATUSTYPE_ocsp); // ask for a stapled OCSP answer
  } else {
    SSL_set_accept_state(ssl_.get());
  }
}

void tls_session::set_server_name(const std::string& name) {
  boost::system::error_code ec;
  net::ip::make_address(name, ec);
  if (!name.empty() && ec) SSL_set_tlsext_host_name(ssl_.get(), name.c_str());
}

net::awaitable<bool> tls_session::flush(clock::time_point deadline, std::string& error) {
  std::string pending;
  const auto n = BIO_ctrl_pending(out_);
  if (n == 0) co_return true;
  pending.resize(n);
  const int got = BIO_read(out_, pending.data(), static_cast<int>(n));
  pending.resize(got > 0 ? static_cast<std::size_t>(got) : 0);
  auto sent = co_await until(deadline, net::async_write(socket_, net::buffer(pending), net::deferred));
  if (!sent) {
    error = "timeout";
    co_return false;
  }
  if (const auto ec = std::get<0>(*sent)) {
    error = ec.message();
    co_return false;
  }
  co_return true;
}

net::awaitable<bool> tls_session::fill(clock::time_point deadline, handshake_outcome& out) {
  std::array<char, 16384> buffer;
  auto got = co_await until(deadline, socket_.async_read_some(net::buffer(buffer), net::deferred));
  if (!got) {
    out.how = handshake_outcome::ended::timeout;
    co_return false;
  }
  const auto [ec, n] = *got;
  if (ec == net::error::eof) {
    out.how = handshake_outcome::ended::peer_closed;
    co_return false;
  }
  if (ec == net::error::connection_reset) {
    out.how = handshake_outcome::ended::reset;
    co_return false;
  }
  if (ec) {
    out.how = handshake_outcome::ended::io_error;
    out.detail = ec.message();
    co_return false;
  }
  if (first_bytes_.size() < 64)
    first_bytes_.append(buffer.data(), std::min<std::size_t>(n, 64 - first_bytes_.size()));
  const bool at_start = received_ < 2;
  received_ += n;
  if (at_start && !looks_like_tls(first_bytes_)) {
    out.how = handshake_outcome::ended::not_tls;
    co_return false;
  }
  BIO_write(in_, buffer.data(), static_cast<int>(n));
  co_return true;
}

net::awaitable<handshake_outcome> tls_session::handshake(clock::time_point deadline) {
  handshake_outcome out;
  for (;;) {
    ERR_clear_error();
    const int r = SSL_do_handshake(ssl_.get());
    const int error = r == 1 ? SSL_ERROR_NONE : SSL_get_error(ssl_.get(), r);
    const std::string reasons = error == SSL_ERROR_NONE ? std::string{} : ossl::take_errors();
    std::string write_error;
    const bool flushed = co_await flush(deadline, write_error); // the ClientHello, our Finished, or our alert
    if (r == 1 && flushed) break;
    if (error == SSL_ERROR_WANT_READ && flushed) {
      if (co_await fill(deadline, out)) continue;
      break;
    }
    if (error != SSL_ERROR_WANT_READ && error != SSL_ERROR_NONE) {
      out.how = handshake_outcome::ended::tls_error;
      out.detail = reasons.empty() ? "TLS error " + std::to_string(error) : reasons;
    } else {
      out.how = write_error == "timeout" ? handshake_outcome::ended::timeout : handshake_outcome::ended::reset;
      out.detail = write_error;
    }
    break;
  }
  out.alert_received = alert_received_;
  out.alert_sent = alert_sent_;
  out.first_bytes = first_bytes_;
  out.bytes_received = received_;
  co_return out;
}

net::awaitable<io_outcome> tls_session::read_some(char* data, std::size_t size, clock::time_point deadline) {
  io_outcome out;
  for (;;) {
    ERR_clear_error();
    std::size_t n = 0;
    const int r = SSL_read_ex(ssl_.get(), data, size, &n);
    if (r == 1) {
      out.bytes = n;
      co_return out;
    }
    const int error = SSL_get_error(ssl_.get(), r);
    std::string write_error;
    if (!co_await flush(deadline, write_error)) { // a key update or an alert to answer
      out.error = write_error;
      out.timed_out = write_error == "timeout";
      co_return out;
    }
    if (error == SSL_ERROR_ZERO_RETURN) {
      out.closed = true;
      co_return out;
    }
    if (error != SSL_ERROR_WANT_READ) {
      out.error = ossl::take_errors();
      if (!alert_received_.empty()) out.error = "alert \"" + alert_received_ + "\"" + (out.error.empty() ? "" : ": " + out.error);
      co_return out;
    }
    handshake_outcome filled;
    if (!co_await fill(deadline, filled)) {
      out.timed_out = filled.how == handshake_outcome::ended::timeout;
      out.closed = filled.how == handshake_outcome::ended::peer_closed;
      out.reset = filled.how == handshake_outcome::ended::reset;
      if (!out.timed_out && !out.closed)
        out.error = filled.how == handshake_outcome::ended::reset ? "connection reset" : filled.detail;
      co_return out;
    }
  }
}

net::awaitable<io_outcome> tls_session::write_all(std::string_view data, clock::time_point deadline) {
  io_outcome out;
  ERR_clear_error();
  std::size_t n = 0;
  if (!data.empty() && SSL_write_ex(ssl_.get(), data.data(), data.size(), &n) != 1) {
    out.error = ossl::take_errors();
    co_return out;
  }
  std::string write_error;
  if (!co_await flush(deadline, write_error)) {
    out.error = write_error;
    out.timed_out = write_error == "timeout";
    co_return out;
  }
  out.bytes = n;
  co_return out;
}

net::awaitable<void> tls_session::shutdown(clock::time_point deadline) {
  ERR_clear_error();
  SSL_shutdown(ssl_.get());
  ossl::take_errors();
  std::string ignored;
  co_await flush(deadline, ignored);
}

} // namespace edgeprobe
