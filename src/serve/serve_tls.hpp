// TLS for serve's own endpoint (not for the probes: they use net/tls_session).
// Built from the config's PEM files when the config loads, so a broken pair is a
// config error with its pointer, and a reload with one keeps the old endpoint.
#pragma once
#include "serve/serve_config.hpp"

#include <boost/asio/ssl/context.hpp>

#include <memory>
#include <string>

namespace edgeprobe {

// TLS 1.2 and 1.3 only. Null with `error` set when the files do not make a
// server identity (unreadable, not PEM, key does not match the certificate).
std::shared_ptr<boost::asio::ssl::context> make_serve_tls_context(const serve_tls_files& files, std::string& error);

} // namespace edgeprobe
