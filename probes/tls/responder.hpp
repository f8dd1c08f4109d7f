// The tls responder: TLS with a configurable certificate chain, optionally
// asking for a client certificate with a configurable CA list, optionally
// behind SMTP STARTTLS. After the handshake it greets like the tcp responder
// (the source address and port it saw) and echoes. For `demo`, `listen` and the
// tests.
#pragma once
#include "net/tcp_responder.hpp"
#include "net/tls_context.hpp"
#include "net/tls_session.hpp"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace edgeprobe {

struct tls_responder_options {
  tls_server_settings tls;   // certificate, key, client CA list, versions
  bool starttls_smtp = false; // speak SMTP first and upgrade on STARTTLS
  tcp_responder_options tcp; // connection limits and idle timeout
  // Set: serves the session after the handshake instead of the greeting and
  // echo (the ews responder speaks HTTPS on this listener).
  std::function<net::awaitable<void>(tls_session&, net::ip::tcp::socket&)> serve_session = {};
};

class tls_responder {
public:
  // Throws boost::system::system_error when the address cannot be bound, and
  // std::runtime_error when the certificate or key cannot be used.
  tls_responder(net::any_io_executor executor, net::ip::tcp::endpoint bind, tls_responder_options options);

  net::ip::tcp::endpoint local_endpoint() const { return listener_->local_endpoint(); }
  void start() { listener_->start(); }
  void stop() { listener_->stop(); }

private:
  std::shared_ptr<SSL_CTX> context_;
  std::unique_ptr<tcp_responder> listener_;
};

} // namespace edgeprobe
