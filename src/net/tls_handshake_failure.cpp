#include "net/tls_handshake_failure.hpp"

#include "net/tls_context.hpp"
#include "wire/escape_bytes.hpp"

namespace edgeprobe {

std::string guess_protocol(std::string_view b) {
  if (b.starts_with("HTTP/")) return "a plain HTTP server answers here";
  if (b.starts_with("SSH-")) return "an SSH server listens here";
  if (b.starts_with("220")) return "a service that greets first (SMTP or FTP) listens here; for SMTP use `starttls: smtp`";
  if (b.starts_with("+OK") || b.starts_with("* OK")) return "a POP3 or IMAP server listens here (they upgrade with STLS/STARTTLS)";
  if (b.starts_with("SIP/2.0")) return "a SIP server over plain TCP answers here (5060, not the TLS port 5061)";
  if (b.starts_with("edgeprobe")) return "an edgeprobe tcp responder answers here";
  return "another protocol listens on this port";
}

void judge_handshake_failure(const handshake_outcome& h, const handshake_context& c, verdict& v) {
  using ended = handshake_outcome::ended;
  const std::string sni = c.sni.empty() ? "no SNI" : "SNI " + c.sni;
  const bool wanted_cert = c.client_cert_requested && !c.client_cert_configured;
  switch (h.how) {
    case ended::ok: return;
    case ended::not_tls:
      v.raise(status::fail, reason::tls_not_tls,
              c.served_by + " answered the ClientHello with \"" + escape_bytes(h.first_bytes, 64) +
                  "\", which is not TLS: " + guess_protocol(h.first_bytes));
      return;
    case ended::timeout:
      v.raise(status::fail, reason::check_timeout,
              "no TLS answer from " + c.served_by + " before the deadline (phase tls, " +
                  std::to_string(h.bytes_received) + " bytes received): the service accepts TCP but does not "
                  "speak TLS first, or a device holds the connection");
      return;
    case ended::reset:
      v.raise(status::fail, reason::tcp_reset,
              c.served_by + " reset the connection during the TLS handshake (" + sni +
                  "): the server has no certificate bound for this name (http.sys and load balancers reset "
                  "then), or a firewall or IPS filters TLS by server name");
      return;
    case ended::peer_closed:
      if (wanted_cert) {
        v.raise(status::fail, reason::tls_client_cert_required,
                c.served_by + " asked for a client certificate and closed the connection when none was sent");
        return;
      }
      v.raise(status::fail, reason::tls_handshake_failed,
              c.served_by + " closed the connection during the TLS handshake without an alert (" + sni + ", " +
                  std::to_string(h.bytes_received) + " bytes received): the service rejects this client, or it "
                  "is not TLS and waits for its own protocol");
      return;
    case ended::io_error:
      v.raise(status::fail, reason::tls_handshake_failed,
              "the TLS handshake with " + c.served_by + " failed: " + h.detail);
      return;
    case ended::tls_error: break;
  }
  if (wanted_cert && !h.alert_received.empty()) {
    v.raise(status::fail, reason::tls_client_cert_required,
            c.served_by + " asked for a client certificate and ended the handshake with the alert \"" +
                h.alert_received + "\" when none was sent");
    return;
  }
  if (h.alert_sent == "protocol version" && h.alert_received.empty()) {
    v.raise(status::fail, reason::tls_version_too_low,
            c.served_by + " chose a TLS version below the lowest this client offered (" +
                tls_version_text(c.min_version) + "): " + h.detail);
    return;
  }
  std::string msg = "the TLS handshake with " + c.served_by + " (" + sni + ", offering " +
                    tls_version_text(c.min_version) + " to " + tls_version_text(c.max_version) + ") failed";
  if (!h.alert_received.empty()) msg += " with the server's alert \"" + h.alert_received + "\"";
  else if (!h.alert_sent.empty()) msg += "; this client sent the alert \"" + h.alert_sent + "\"";
  if (!h.detail.empty()) msg += " (" + h.detail + ")";
  v.raise(status::fail, reason::tls_handshake_failed, msg);
}

} // namespace edgeprobe
