// TLS on an already connected TCP socket, with OpenSSL driven through memory
// BIOs by this coroutine code, so that every wait goes through the check's
// deadline and the bytes the peer sent are there to look at when a handshake
// fails (a plain-text "HTTP/1.1 400" or an SMTP banner is `tls.not_tls`, not an
// OpenSSL error string). Client side for the probes; server side for the
// responder.
#pragma once
#include "core/clock.hpp"
#include "net/openssl_handles.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace edgeprobe {

namespace net = boost::asio;

enum class tls_role { client, server };

struct handshake_outcome {
  enum class ended {
    ok,
    timeout,       // the deadline passed waiting for the peer
    peer_closed,   // the peer closed the connection (FIN) before the handshake finished
    reset,         // the connection was reset (RST) during the handshake
    not_tls,       // the peer answered with bytes that are not a TLS record
    tls_error,     // OpenSSL refused: an alert, no common version or cipher, bad record
    io_error,      // any other socket error
  };
  ended how = ended::ok;
  std::string detail;          // OpenSSL's reasons, or the socket error
  std::string alert_received;  // the peer's alert ("handshake failure"), "" when none
  std::string alert_sent;      // the alert this side sent, "" when none
  std::string first_bytes;     // the first bytes the peer sent (at most 64)
  std::size_t bytes_received = 0;
  bool ok() const { return how == ended::ok; }
};

struct io_outcome {
  std::size_t bytes = 0;
  bool timed_out = false;
  bool closed = false;         // the peer ended the TLS session or the connection
  bool reset = false;          // the peer reset the connection (error says so too)
  std::string error;           // "" when none
};

class tls_session {
public:
  // `ctx` must outlive the session; so must `socket`.
  tls_session(net::ip::tcp::socket& socket, SSL_CTX* ctx, tls_role role);
  tls_session(const tls_session&) = delete;
  tls_session& operator=(const tls_session&) = delete;

  SSL* native() const { return ssl_.get(); }

  // Client only; call before handshake(). An IP literal or "" sends no SNI
  // (RFC 6066 allows host names only).
  void set_server_name(const std::string& name);

  net::awaitable<handshake_outcome> handshake(clock::time_point deadline);

  // Application data, after a successful handshake.
  net::awaitable<io_outcome> read_some(char* data, std::size_t size, clock::time_point deadline);
  net::awaitable<io_outcome> write_all(std::string_view data, clock::time_point deadline);
  // Sends close_notify (best effort, within the deadline).
  net::awaitable<void> shutdown(clock::time_point deadline);

  // Whether the server asked this client for a certificate (CertificateRequest).
  bool client_cert_requested() const { return cert_requested_; }

private:
  friend struct tls_session_callbacks;
  net::awaitable<bool> flush(clock::time_point deadline, std::string& error); // writes what OpenSSL produced
  // Reads from the socket into OpenSSL; sets the outcome fields on failure.
  net::awaitable<bool> fill(clock::time_point deadline, handshake_outcome& out);

  net::ip::tcp::socket& socket_;
  ossl::ssl ssl_;
  BIO* in_ = nullptr;   // owned by ssl_
  BIO* out_ = nullptr;  // owned by ssl_
  bool cert_requested_ = false;
  std::string alert_received_, alert_sent_;
  std::string first_bytes_;
  std::size_t received_ = 0;
};

} // namespace edgeprobe
