// The hostile battery (issue 8): every probe that talks to a peer, against
// peers that misbehave on purpose — silence, one byte a second, endless data,
// garbage, truncation, lying length fields, resets, oversized TLS chains and
// CA lists, broken STUN, SSRP answers of the extremes, endpoint mappers with
// impossible towers, HTTP header floods, endless chunked bodies, redirect
// loops. Each row is one check with a short timeout; each must end with its
// specific reason by its deadline plus 50 ms (the runner's duration_ms), and
// the rows whose peer gives itself away (garbage, a reset, a lie) must end
// well before the deadline. The table of what happened goes to doctest's
// MESSAGE output, and, as Markdown, to the file named by
// EDGEPROBE_HOSTILE_TABLE when that is set:
//
//   EDGEPROBE_HOSTILE_TABLE=hostile.md build/edgeprobe_integration_tests -ts=hostile -s
//
// Under AddressSanitizer and LeakSanitizer: tests/hostile/asan_build.sh.
#include "probes/sqlbrowser/ssrp.hpp"
#include "support/check_runner.hpp"
#include "support/hostile_peers.hpp"
#include "support/io_thread.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iomanip>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

using namespace edgeprobe;
using namespace edgeprobe::test::hostile;
using nlohmann::json;
using test::reason_of;

namespace {

constexpr double slack_ms = 50;      // the bound past the deadline
constexpr double early_margin = 0.5; // "ends before the deadline": within half of it

enum class ends { early, at_deadline };

struct row {
  std::string behaviour;
  json check;                 // probe, target, timeout, options
  status state;               // expected status
  std::string reason;         // expected reason code, exactly
  ends when;                  // early: the peer gave itself away; at_deadline: only the clock can end it
  std::string message_has;    // text the message must contain ("": not asserted)
};

double timeout_ms_of(const json& check) {
  const std::string t = check.at("timeout");
  if (t.ends_with("ms")) return std::stod(t.substr(0, t.size() - 2));
  return std::stod(t.substr(0, t.size() - 1)) * 1000;
}

std::string tcp_target(const tcp_responder& r) { return "127.0.0.1:" + std::to_string(r.local_endpoint().port()); }

std::string http_url(const tcp_responder& r, const std::string& path = "/") {
  return "http://" + tcp_target(r) + path;
}

// The TCP peers the rows talk to, started on one io_thread.
struct tcp_peers {
  explicit tcp_peers(test::io_thread& io) : io_(io) {}
  ~tcp_peers() {
    for (auto& p : listeners_) p->stop();
  }
  const tcp_responder& add(tcp_responder_options o) {
    listeners_.push_back(std::make_unique<tcp_responder>(io_.executor(), any(), std::move(o)));
    listeners_.back()->start();
    return *listeners_.back();
  }
  const tls_responder& add_tls(tls_responder_options o) {
    tls_listeners_.push_back(std::make_unique<tls_responder>(io_.executor(), any(), std::move(o)));
    tls_listeners_.back()->start();
    return *tls_listeners_.back();
  }
  static net::ip::tcp::endpoint any() { return {net::ip::make_address("127.0.0.1"), 0}; }

private:
  test::io_thread& io_;
  std::vector<std::unique_ptr<tcp_responder>> listeners_;
  std::vector<std::unique_ptr<tls_responder>> tls_listeners_;
};

std::string fixed(double v) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(0) << v;
  return s.str();
}

} // namespace

TEST_SUITE("hostile") {

TEST_CASE("hostile battery: every misbehaving peer ends by the deadline + 50 ms with a specific reason") {
  test::io_thread io;
  tcp_peers tcp(io);
  std::vector<std::unique_ptr<udp_peer>> udp;
  const auto add_udp = [&](udp_peer::answer_fn f) -> const udp_peer& {
    udp.push_back(std::make_unique<udp_peer>(io.executor(), std::move(f)));
    return *udp.back();
  };
  const auto one = [](bytes b) { return std::vector<bytes>{std::move(b)}; };

  std::vector<row> rows;
  const std::string t1 = "1s";

  // ------------------------------------------------------------ tcp
  {
    const auto& p = tcp.add(never_speaks());
    rows.push_back({"accepts, never speaks (banner expected)",
                    {{"probe", "tcp"}, {"target", tcp_target(p)}, {"timeout", t1}, {"expect", {{"banner", "^SSH-"}}}},
                    status::fail, "tcp.banner_mismatch", ends::at_deadline, "nothing more before the deadline"});
  }
  {
    const auto& p = tcp.add(trickles("220 mail.contoso.com ESMTP\r\n", std::chrono::seconds(1)));
    rows.push_back({"speaks one byte per second (banner expected)",
                    {{"probe", "tcp"}, {"target", tcp_target(p)}, {"timeout", t1}, {"expect", {{"banner", "ESMTP"}}}},
                    status::fail, "tcp.banner_mismatch", ends::at_deadline, "nothing more before the deadline"});
  }
  {
    const auto& p = tcp.add(floods("", "\x17\x03\x03 endless noise "));
    rows.push_back({"sends endless data (banner expected)",
                    {{"probe", "tcp"},
                     {"target", tcp_target(p)},
                     {"timeout", t1},
                     {"send", {{"text", "HELLO\r\n"}}},
                     {"expect", {{"banner", "^SSH-"}}}},
                    status::fail, "tcp.banner_mismatch", ends::early, "the first 8192 bytes"});
  }
  {
    const auto& p = tcp.add(answers("", then::reset, false));
    rows.push_back({"resets right after accepting (hold)",
                    {{"probe", "tcp"}, {"target", tcp_target(p)}, {"timeout", t1}, {"hold", "500ms"}},
                    status::fail, "tcp.reset", ends::early, "reset"}); // at once, or 0 ms into the hold: a race either way
  }

  // ------------------------------------------------------------ tls
  {
    const auto& p = tcp.add(never_speaks());
    rows.push_back({"TLS: accepts, never answers the ClientHello",
                    {{"probe", "tls"}, {"target", tcp_target(p)}, {"timeout", t1}},
                    status::fail, "check.timeout", ends::at_deadline, "phase tls"});
  }
  {
    const auto& p = tcp.add(answers("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n", then::close));
    rows.push_back({"TLS: answers the ClientHello with plain HTTP",
                    {{"probe", "tls"}, {"target", tcp_target(p)}, {"timeout", t1}},
                    status::fail, "tls.not_tls", ends::early, "HTTP/1.1 400"});
  }
  {
    const auto& p = tcp.add(answers("", then::reset));
    rows.push_back({"TLS: resets mid-handshake (after the ClientHello)",
                    {{"probe", "tls"}, {"target", tcp_target(p)}, {"timeout", t1}},
                    status::fail, "tcp.reset", ends::early, "reset the connection during the TLS handshake"});
  }
  {
    // A handshake record that promises 16,000 bytes; 4 arrive, then FIN.
    const auto& p = tcp.add(answers(std::string("\x16\x03\x03\x3e\x80\x02\x00\x3e", 8), then::close));
    rows.push_back({"TLS: truncates the ServerHello record and closes",
                    {{"probe", "tls"}, {"target", tcp_target(p)}, {"timeout", t1}},
                    status::fail, "tls.handshake_failed", ends::early, "without an alert"});
  }
  {
    // A record length of 65,535: over TLS's 16,384 + 2,048 limit.
    const auto& p = tcp.add(answers(std::string("\x16\x03\x03\xff\xff", 5) + std::string(2000, '\x02'), then::hold));
    rows.push_back({"TLS: lies in the record length (65,535)",
                    {{"probe", "tls"}, {"target", tcp_target(p)}, {"timeout", t1}},
                    status::fail, "tls.handshake_failed", ends::early, "record overflow"});
  }
  {
    // A handshake message header that announces 1 MiB (a ServerHello cannot
    // be longer than a few hundred bytes), then the bytes keep coming.
    const auto& p = tcp.add(floods(std::string("\x16\x03\x03\x40\x00\x02\x10\x00\x00", 9),
                                   std::string("\x16\x03\x03\x40\x00", 5) + std::string(16384, '\x00')));
    rows.push_back({"TLS: a ServerHello that announces 1 MiB",
                    {{"probe", "tls"}, {"target", tcp_target(p)}, {"timeout", t1}},
                    status::fail, "tls.handshake_failed", ends::early, "excessive message size"});
  }
  std::string chain_root;
  {
    // Trusted through its root: the whole 100-certificate chain is judged and reported.
    const auto& p = tcp.add_tls(long_chain(99, chain_root));
    rows.push_back({"TLS: a 100-certificate chain, to an unknown root",
                    {{"probe", "tls"}, {"target", "127.0.0.1:" + std::to_string(p.local_endpoint().port())},
                     {"timeout", t1}},
                    status::fail, "tls.cert.untrusted", ends::early, "does not trust"});
  }
  {
    // TLS caps the CertificateRequest's CA list at 65,535 bytes; this one is as
    // large as a server can send.
    const auto& p = tcp.add_tls(huge_client_ca_list(60000));
    rows.push_back({"TLS: a client CA list at the protocol's limit (60 KB)",
                    {{"probe", "tls"}, {"target", "127.0.0.1:" + std::to_string(p.local_endpoint().port())},
                     {"timeout", t1}, {"verify", false}},
                    status::warn, "tls.client_ca_list_large", ends::early, "bytes"});
  }
  {
    // 1 MB of CA names cannot be put in a CertificateRequest: OpenSSL's server
    // gives up with an internal_error alert, and the probe says so.
    const auto& p = tcp.add_tls(huge_client_ca_list(1024 * 1024));
    rows.push_back({"TLS: a 1 MB client CA list (the server cannot send it)",
                    {{"probe", "tls"}, {"target", "127.0.0.1:" + std::to_string(p.local_endpoint().port())},
                     {"timeout", t1}, {"verify", false}},
                    status::fail, "tls.handshake_failed", ends::early, "internal error"});
  }

  // ------------------------------------------------------------ http
  {
    const auto& p = tcp.add(answers("", then::hold));
    rows.push_back({"HTTP: accepts, never answers",
                    {{"probe", "http"}, {"target", http_url(p)}, {"timeout", t1}},
                    status::fail, "http.no_response", ends::at_deadline, "no answer before the deadline"});
  }
  {
    const auto& p = tcp.add(trickles("HTTP/1.1 200 OK\r\nX-Slow: yes\r\n", std::chrono::seconds(1)));
    rows.push_back({"HTTP: answers one byte per second",
                    {{"probe", "http"}, {"target", http_url(p)}, {"timeout", t1}},
                    status::fail, "http.no_response", ends::at_deadline, "not complete at the deadline"});
  }
  {
    const auto& p = tcp.add(answers(std::string("\x00\xff\x13garbage\x01\x02\r\n\r\n", 16), then::hold));
    rows.push_back({"HTTP: answers with garbage",
                    {{"probe", "http"}, {"target", http_url(p)}, {"timeout", t1}},
                    status::fail, "http.malformed", ends::early, "not valid HTTP/1.1"});
  }
  {
    const auto& p = tcp.add(answers("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nonly this much", then::close));
    rows.push_back({"HTTP: truncates the body (Content-Length 1000, 14 bytes, FIN)",
                    {{"probe", "http"}, {"target", http_url(p)}, {"timeout", t1}},
                    status::fail, "http.malformed", ends::early, "partial message"});
  }
  {
    const auto& p = tcp.add(answers("HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999\r\n\r\nx", then::hold));
    rows.push_back({"HTTP: lies in Content-Length (2^76)",
                    {{"probe", "http"}, {"target", http_url(p)}, {"timeout", t1}},
                    status::fail, "http.malformed", ends::early, "bad Content-Length"});
  }
  {
    const auto& p =
        tcp.add(answers("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffffff\r\nxx", then::hold));
    rows.push_back({"HTTP: lies in a chunk size (2^76)",
                    {{"probe", "http"}, {"target", http_url(p)}, {"timeout", t1}},
                    status::fail, "http.malformed", ends::early, "bad chunk"});
  }
  {
    std::string many = "HTTP/1.1 200 OK\r\n";
    for (int i = 0; i < 10000; ++i) many += "X-" + std::to_string(i) + ": v\r\n";
    many += "Content-Length: 0\r\n\r\n";
    const auto& p = tcp.add(answers(many, then::hold));
    rows.push_back({"HTTP: 10,000 headers",
                    {{"probe", "http"}, {"target", http_url(p)}, {"timeout", t1}},
                    status::fail, "http.malformed", ends::early, "headers are larger than 65536 bytes"});
  }
  {
    const auto& p = tcp.add(floods("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", "10\r\n0123456789abcdef\r\n"));
    rows.push_back({"HTTP: endless chunked body",
                    {{"probe", "http"},
                     {"target", http_url(p)},
                     {"timeout", t1},
                     {"expect", {{"body", "never there"}}}},
                    status::fail, "http.body_mismatch", ends::early, "4194304 bytes, cut"});
  }
  {
    const auto& p = tcp.add(http_each([](const std::string&) {
      return std::string("HTTP/1.1 302 Found\r\nLocation: /loop\r\nContent-Length: 0\r\n\r\n");
    }));
    rows.push_back({"HTTP: redirect loop",
                    {{"probe", "http"}, {"target", http_url(p, "/loop")}, {"timeout", t1}},
                    status::fail, "http.redirect_limit", ends::early, "still redirected after 5 redirects"});
  }
  {
    const auto& p = tcp.add(answers("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nhalf", then::reset));
    rows.push_back({"HTTP: resets mid-body",
                    {{"probe", "http"}, {"target", http_url(p)}, {"timeout", t1}},
                    status::fail, "tcp.reset", ends::early, "the connection was reset"});
  }

  // ------------------------------------------------------------ stun / turn
  {
    const auto& p = add_udp([&](auto req, auto& from) { return one(stun_answer_wrong_transaction(req, from)); });
    rows.push_back({"STUN: answers with a wrong transaction id",
                    {{"probe", "stun"}, {"target", p.target()}, {"timeout", t1}},
                    status::fail, "turn.no_response", ends::at_deadline, "another transaction"});
  }
  {
    // The cookie is half of what pairs an answer with its request (RFC 5389
    // 6: RFC 3489's 16-byte transaction ID), so this answers another one.
    const auto& p = add_udp([&](auto req, auto& from) { return one(stun_answer_wrong_cookie(req, from)); });
    rows.push_back({"STUN: answers with a wrong magic cookie",
                    {{"probe", "stun"}, {"target", p.target()}, {"timeout", t1}},
                    status::fail, "turn.no_response", ends::at_deadline, "another transaction"});
  }
  {
    const auto& p = add_udp([&](auto req, auto& from) { return one(stun_answer_many_attributes(req, from, 1000)); });
    rows.push_back({"STUN: an answer with 1,000 attributes",
                    {{"probe", "stun"}, {"target", p.target()}, {"timeout", t1}},
                    status::pass, "", ends::early, "this host is seen as 127.0.0.1"});
  }
  {
    const auto& p = add_udp([&](auto req, auto& from) { return one(stun_answer_length_lie(req, from)); });
    rows.push_back({"STUN: lies in the message length",
                    {{"probe", "stun"}, {"target", p.target()}, {"timeout", t1}},
                    status::fail, "turn.malformed", ends::early, "header length 65532"});
  }
  {
    const auto& p = tcp.add(trickles(std::string("\x01\x01\x00\x0c", 4), std::chrono::seconds(1)));
    rows.push_back({"TURN over TCP: answers one byte per second",
                    {{"probe", "turn"}, {"target", tcp_target(p)}, {"transport", "tcp"}, {"timeout", t1}},
                    status::fail, "turn.no_response", ends::at_deadline, "did not answer the Allocate request before the deadline"});
  }
  {
    const auto& p = tcp.add(answers(std::string("\x01\x01\x00\x40\x21\x12\xa4\x42", 8), then::close));
    rows.push_back({"TURN over TCP: truncates the answer and closes",
                    {{"probe", "turn"}, {"target", tcp_target(p)}, {"transport", "tcp"}, {"timeout", t1}},
                    status::fail, "turn.no_response", ends::early, "ended the connection"});
  }

  // ------------------------------------------------------------ sqlbrowser
  {
    const auto& p = add_udp([&](auto, auto&) { return one(ssrp_one_byte()); });
    rows.push_back({"SSRP: an answer of 1 byte",
                    {{"probe", "sqlbrowser"}, {"target", p.target()}, {"timeout", t1}},
                    status::fail, "sqlbrowser.malformed", ends::early, "ends inside RESP_SIZE"});
  }
  {
    const auto& p = add_udp([&](auto, auto&) { return one(ssrp_largest_datagram()); });
    rows.push_back({"SSRP: an answer claiming 65,535 bytes (65,507-byte datagram)",
                    {{"probe", "sqlbrowser"}, {"target", p.target()}, {"timeout", t1}},
                    status::fail, "sqlbrowser.malformed", ends::early, "RESP_SIZE says 65535"});
  }

  // ------------------------------------------------------------ rpc-epm
  {
    const auto& p = tcp.add(epm_answering(ept_map_stub_with_towers(10000)));
    // 800 KB in 190 fragments: refused once 256 KiB have come, not after all of it.
    rows.push_back({"EPM: ept_map answered with 10,000 towers",
                    {{"probe", "rpc-epm"}, {"target", tcp_target(p)}, {"interface", "samr"}, {"timeout", "5s"}},
                    status::fail, "epm.malformed", ends::early, "grows past 256 KiB"});
  }
  {
    const auto& p = tcp.add(epm_answering(ept_map_stub_with_towers(1000), true));
    rows.push_back({"EPM: endless response fragments, never the last",
                    {{"probe", "rpc-epm"}, {"target", tcp_target(p)}, {"interface", "samr"}, {"timeout", t1}},
                    status::fail, "epm.malformed", ends::early, "grows past 256 KiB"});
  }
  {
    const auto& p = tcp.add(epm_answering(ept_map_stub_with_floors(200)));
    rows.push_back({"EPM: a tower with 200 floors",
                    {{"probe", "rpc-epm"}, {"target", tcp_target(p)}, {"interface", "samr"}, {"timeout", t1}},
                    status::fail, "epm.malformed", ends::early, "200 floors"});
  }
  {
    const auto& p = tcp.add(never_speaks());
    rows.push_back({"EPM: accepts, never answers the bind",
                    {{"probe", "rpc-epm"}, {"target", tcp_target(p)}, {"interface", "samr"}, {"timeout", t1}},
                    status::fail, "epm.malformed", ends::at_deadline, "answered no bind"});
  }

  // ------------------------------------------------------------ udp / dns
  {
    const auto& p = add_udp([&](auto, auto&) { return one(bytes(60000, 0xEE)); });
    rows.push_back({"UDP: answers with 60,000 bytes of garbage",
                    {{"probe", "udp"}, {"target", p.target()}, {"timeout", t1}, {"expect", {{"reply", "^PONG"}}}},
                    status::fail, "udp.reply_mismatch", ends::early, "60000 bytes"});
  }
  {
    // A DNS answer whose id is the query's but whose header claims 65,535
    // answers that are not there.
    const auto& p = add_udp([&](auto req, auto&) {
      bytes b(req.begin(), req.end());
      if (b.size() < 12) return std::vector<bytes>{};
      b[2] = 0x81;
      b[3] = 0x80;
      b[6] = 0xFF;
      b[7] = 0xFF;
      return one(b);
    });
    rows.push_back({"DNS: lies in the answer count (65,535, none there)",
                    {{"probe", "dns"}, {"target", "hostile.test"}, {"type", "A"}, {"resolver", p.target()}, {"timeout", t1}},
                    status::fail, "dns.unexpected_answer", ends::early, "malformed"});
  }

  // ------------------------------------------------------------ run them
  struct measured {
    const row* r;
    check_result result;
  };
  std::vector<measured> done;
  const auto battery_start = std::chrono::steady_clock::now();
  for (const auto& r : rows) {
    INFO("behaviour: " << r.behaviour);
    auto result = test::run_check(r.check);
    const double limit = timeout_ms_of(r.check);
    INFO("status " << to_string(result.outcome.state) << ", reason " << reason_of(result) << ", "
                   << result.duration_ms << " ms, message: " << result.outcome.message);
    CHECK(result.outcome.state == r.state);
    CHECK(reason_of(result) == r.reason);
    CHECK(result.duration_ms <= limit + slack_ms);
    if (r.when == ends::early) CHECK(result.duration_ms < limit * early_margin);
    else CHECK(result.duration_ms >= limit * 0.9);
    if (!r.message_has.empty()) CHECK(result.outcome.message.find(r.message_has) != std::string::npos);
    if (r.behaviour.starts_with("TLS: a 100-certificate chain"))
      CHECK(test::details_of(result)["tls"]["chain"].size() == 100); // reported whole, as sent
    if (std::getenv("EDGEPROBE_HOSTILE_VERBOSE")) MESSAGE(r.behaviour << ": " << result.outcome.message);
    done.push_back({&r, std::move(result)});
  }
  const double battery_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - battery_start).count();
  CHECK(rows.size() >= 20);

  std::ostringstream table;
  table << "| behaviour | probe | status | reason | time to end (ms) | deadline (ms) |\n|---|---|---|---|---|---|\n";
  for (const auto& d : done)
    table << "| " << d.r->behaviour << " | " << d.r->check.at("probe").get<std::string>() << " | "
          << to_string(d.result.outcome.state) << " | `" << (reason_of(d.result).empty() ? "-" : reason_of(d.result))
          << "` | " << fixed(d.result.duration_ms) << " | " << fixed(timeout_ms_of(d.r->check)) << " |\n";
  table << "\n" << done.size() << " behaviours in " << fixed(battery_ms) << " ms.\n";
  MESSAGE("hostile battery\n" << table.str());
  if (const char* file = std::getenv("EDGEPROBE_HOSTILE_TABLE")) {
    std::ofstream out(file);
    out << table.str();
  }
  for (auto& p : udp) p->stop();
}

} // TEST_SUITE
