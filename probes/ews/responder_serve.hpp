// The Exchange responder's keep-alive serve loop: Boost.Beast's request parser
// fed from a TLS session or a plain socket, each request answered by
// ews_answer (HTTPS) or ews_plain_http_answer (HTTP) and written back
// Beast-serialised. Internal to the responder.
#pragma once
#include "net/tls_session.hpp"
#include "probes/ews/responder.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <memory>

namespace edgeprobe::ews_responder {

net::awaitable<void> serve_https(std::shared_ptr<const ews_responder_options> o, tls_session& session);
net::awaitable<void> serve_plain_http(std::shared_ptr<const ews_responder_options> o, net::ip::tcp::socket& socket);

} // namespace edgeprobe::ews_responder
