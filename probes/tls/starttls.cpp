#include "probes/tls/starttls.hpp"

#include "core/deadline.hpp"
#include "net/responder_greeting.hpp"
#include "probes/tls/smtp_reply.hpp"
#include "wire/escape_bytes.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace edgeprobe {

namespace {

class smtp_dialogue {
public:
  smtp_dialogue(net::ip::tcp::socket& socket, clock::time_point deadline, starttls_outcome& out)
      : socket_(socket), deadline_(deadline), out_(out) {}

  // Reads one reply; false (with the outcome filled in) when none came.
  net::awaitable<bool> read(smtp_reply& reply, std::string_view waiting_for) {
    for (;;) {
      reply = parse_smtp_reply(buffer_);
      if (reply.parsed == smtp_reply::state::complete) {
        for (const auto& line : reply.lines) out_.transcript.push_back("S: " + std::to_string(reply.code) + " " + line);
        buffer_.erase(0, reply.consumed);
        co_return true;
      }
      if (reply.parsed == smtp_reply::state::malformed) {
        fail(status::fail, reason::tls_not_tls,
             "the peer does not speak SMTP (waiting for " + std::string(waiting_for) + " it sent \"" +
                 escape_bytes(buffer_, 80) + "\")");
        co_return false;
      }
      char chunk[4096];
      auto got = co_await until(deadline_, socket_.async_read_some(net::buffer(chunk), net::deferred));
      if (!got) {
        fail(status::fail, reason::check_timeout,
             "no complete SMTP " + std::string(waiting_for) + " before the deadline" +
                 (buffer_.empty() ? " (nothing received)" : " (received \"" + escape_bytes(buffer_, 80) + "\")"));
        co_return false;
      }
      if (const auto ec = std::get<0>(*got)) {
        fail(status::fail, ec == net::error::connection_reset ? reason::tcp_reset : reason::tls_not_tls,
             "the connection " + std::string(ec == net::error::eof ? "was closed" : "failed (" + ec.message() + ")") +
                 " while waiting for the SMTP " + std::string(waiting_for));
        co_return false;
      }
      buffer_.append(chunk, std::get<1>(*got));
    }
  }

  net::awaitable<bool> send(const std::string& line) {
    out_.transcript.push_back("C: " + line);
    const std::string wire = line + "\r\n";
    auto sent = co_await until(deadline_, net::async_write(socket_, net::buffer(wire), net::deferred));
    if (!sent || std::get<0>(*sent)) {
      fail(status::fail, sent ? reason::tcp_reset : reason::check_timeout, "could not send \"" + line + "\"");
      co_return false;
    }
    co_return true;
  }

  void fail(status s, reason r, std::string message) {
    out_.state = s;
    out_.why = r;
    out_.message = std::move(message);
  }

  // Bytes already read past the last reply: a server must not send any before
  // the TLS handshake (that would be a command injection, CVE-2011-0411 style).
  bool has_leftover() const { return !buffer_.empty(); }

private:
  net::ip::tcp::socket& socket_;
  clock::time_point deadline_;
  starttls_outcome& out_;
  std::string buffer_;
};

} // namespace

std::string ehlo_literal(const net::ip::address& a) {
  const auto plain = unmapped(a);
  return plain.is_v6() ? "[IPv6:" + plain.to_string() + "]" : "[" + plain.to_string() + "]";
}

net::awaitable<starttls_outcome> smtp_starttls(net::ip::tcp::socket& socket, const net::ip::tcp::endpoint& local,
                                               clock::time_point deadline) {
  starttls_outcome out;
  smtp_dialogue smtp(socket, deadline, out);
  smtp_reply reply;
  if (!co_await smtp.read(reply, "greeting")) co_return out;
  if (reply.code != 220) {
    smtp.fail(status::fail, reason::tls_handshake_failed,
              "the SMTP server greeted with " + std::to_string(reply.code) + " \"" + reply.lines.front() +
                  "\" instead of 220: it refuses this client");
    co_return out;
  }
  if (!co_await smtp.send("EHLO " + ehlo_literal(local.address())) || !co_await smtp.read(reply, "EHLO answer"))
    co_return out;
  if (reply.code != 250) {
    smtp.fail(status::fail, reason::tls_handshake_failed,
              "the SMTP server answered EHLO with " + std::to_string(reply.code) + " \"" + reply.lines.front() + "\"");
    co_return out;
  }
  if (!offers_starttls(reply)) {
    smtp.fail(status::fail, reason::tls_not_tls,
              "the SMTP server does not offer STARTTLS (its EHLO answer lists no STARTTLS): TLS is not enabled on "
              "this port, or a firewall's SMTP inspection strips it");
    co_return out;
  }
  if (!co_await smtp.send("STARTTLS") || !co_await smtp.read(reply, "STARTTLS answer")) co_return out;
  if (reply.code != 220) {
    smtp.fail(status::fail, reason::tls_handshake_failed,
              "the SMTP server answered STARTTLS with " + std::to_string(reply.code) + " \"" + reply.lines.front() + "\"");
    co_return out;
  }
  if (smtp.has_leftover()) {
    smtp.fail(status::fail, reason::tls_not_tls,
              "the SMTP server sent more bytes after its STARTTLS answer and before the TLS handshake");
    co_return out;
  }
  out.ok = true;
  co_return out;
}

} // namespace edgeprobe
