#include "probes/tcp/exchange.hpp"

#include "core/deadline.hpp"
#include "net/responder_greeting.hpp"
#include "net/socket_errors.hpp"
#include "net/tcp_connect.hpp"
#include "net/tcp_info.hpp"
#include "wire/escape_bytes.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <algorithm>
#include <array>
#include <cstdio>
#include <optional>

namespace edgeprobe {

namespace {

constexpr std::size_t greeting_cap = 256;  // longer than any valid greeting line
constexpr std::size_t banner_cap = 8192;   // banners are short; also bounds the regex's work
constexpr std::size_t hold_chunk = 65536;

enum class read_end { data, eof, reset, deadline, full };

std::string_view to_string(read_end e) {
  switch (e) {
    case read_end::data: return "data";
    case read_end::eof: return "eof";
    case read_end::reset: return "reset";
    case read_end::deadline: return "deadline";
    case read_end::full: return "cap";
  }
  return "data";
}

// Once established, any error on the connection means it is gone: a RST from
// the peer or a device in between (ECONNRESET, EPIPE), or the kernel giving up.
bool ended_by_error(read_end e) { return e == read_end::reset; }

struct reader {
  net::ip::tcp::socket& socket;
  std::string bytes;
  boost::system::error_code error;

  // Appends the next bytes that arrive, keeping `bytes` within `cap`.
  net::awaitable<read_end> more(clock::time_point end_at, std::size_t cap) {
    if (bytes.size() >= cap) co_return read_end::full;
    std::array<char, 4096> chunk{};
    const std::size_t room = std::min(chunk.size(), cap - bytes.size());
    auto r = co_await until(end_at, socket.async_read_some(net::buffer(chunk.data(), room),
                                                           net::deferred));
    if (!r) co_return read_end::deadline;
    const auto [ec, n] = *r;
    bytes.append(chunk.data(), n);
    if (!ec) co_return read_end::data;
    error = ec;
    co_return ec == net::error::eof ? read_end::eof : read_end::reset;
  }
};

std::string ended_text(read_end e, const boost::system::error_code& ec) {
  switch (e) {
    case read_end::eof: return "then the peer closed the connection";
    case read_end::deadline: return "then nothing more before the deadline";
    case read_end::full: return "the first " + std::to_string(banner_cap) + " bytes";
    case read_end::reset: return "then the connection failed with " + errno_name(ec);
    case read_end::data: break;
  }
  return "";
}

std::string reset_message(const std::string& peer, std::string_view when, const boost::system::error_code& ec) {
  return peer + " reset the connection " + std::string(when) + " (" + errno_name(ec) + ")";
}

void check_translation(const responder_greeting& g, const net::ip::tcp::endpoint& local, const std::string& peer,
                       const tcp_config& cfg, verdict& v, nlohmann::json& details) {
  const auto seen = compare_greeting(g, local.address(), local.port());
  details["responder"] = seen.evidence;
  if (!seen.translated) return;
  v.raise(cfg.no_translation ? status::fail : status::pass, reason::path_address_translated,
          "the responder at " + peer + " saw this connection come from " + seen.seen + ", but this host used " +
              endpoint_text(local) + ": NAT or a proxy is on the path");
}

} // namespace

bool exchanges(const tcp_config& cfg) { return cfg.responder || cfg.banner || cfg.send || cfg.hold.count() > 0; }

net::awaitable<void> run_exchange(net::ip::tcp::socket& socket, const tcp_config& cfg,
                                  const net::ip::tcp::endpoint& local, const net::ip::tcp::endpoint& remote,
                                  clock::time_point deadline, phase_log* phases, verdict& v,
                                  nlohmann::json& details) {
  if (!exchanges(cfg)) co_return;
  const std::string peer = endpoint_text(remote);
  reader rd{socket, {}, {}};
  const bool reads = cfg.responder || cfg.banner;
  std::optional<phase_log::scope> banner_phase;
  if (reads && phases) banner_phase.emplace(phases->begin("banner"));

  if (cfg.responder) {
    read_end end = read_end::data;
    while (rd.bytes.find("\r\n") == std::string::npos && end == read_end::data)
      end = co_await rd.more(deadline, greeting_cap);
    const auto greeting = parse_greeting(rd.bytes);
    if (!greeting) {
      if (ended_by_error(end)) v.raise(status::fail, reason::tcp_reset, reset_message(peer, "before its greeting", rd.error));
      else
        v.raise(status::fail, reason::tcp_banner_mismatch,
                "expected an edgeprobe responder greeting from " + peer + ", saw \"" + escape_bytes(rd.bytes) +
                    "\" (" + ended_text(end, rd.error) + ")");
      details["received"] = {{"bytes", rd.bytes.size()}, {"text", escape_bytes(rd.bytes)}};
      co_return;
    }
    rd.bytes.erase(0, rd.bytes.find("\r\n") + 2);
    check_translation(*greeting, local, peer, cfg, v, details);
  }

  if (cfg.send) {
    auto sent = co_await until(deadline, net::async_write(socket, net::buffer(*cfg.send),
                                                         net::deferred));
    if (!sent) {
      const auto info = read_tcp_info(socket);
      if (info) details["tcp_info_end"] = to_json(*info);
      if (info && info->peer_window == 0u)
        v.raise(status::fail, reason::tcp_zero_window,
                peer + " advertises a zero receive window: " + std::to_string(cfg.send->size()) +
                    " bytes could not be sent before the deadline");
      else
        v.raise(status::fail, reason::check_timeout,
                "sending " + std::to_string(cfg.send->size()) + " bytes to " + peer + " did not finish before the deadline");
      co_return;
    }
    const auto [write_ec, n] = *sent;
    details["sent_bytes"] = n;
    if (write_ec) {
      v.raise(status::fail, reason::tcp_reset, reset_message(peer, "while this host was sending", write_ec));
      co_return;
    }
  }

  if (cfg.banner) {
    const auto start = clock::now();
    read_end end = read_end::data;
    for (;;) {
      const auto m = cfg.banner->match(rd.bytes, end != read_end::data);
      if (m == byte_pattern::result::matched) {
        details["banner_ms"] = to_ms(clock::now() - start);
        break;
      }
      if (m == byte_pattern::result::mismatch) {
        details["received"] = {{"bytes", rd.bytes.size()}, {"text", escape_bytes(rd.bytes)}, {"ended", to_string(end)}};
        if (ended_by_error(end))
          v.raise(status::fail, reason::tcp_reset, reset_message(peer, "before the banner matched", rd.error));
        else
          v.raise(status::fail, reason::tcp_banner_mismatch,
                  peer + " sent \"" + escape_bytes(rd.bytes) + "\" (" + std::to_string(rd.bytes.size()) + " bytes, " +
                      ended_text(end, rd.error) + "), which does not match " +
                      cfg.banner->describe());
        co_return;
      }
      end = co_await rd.more(deadline, banner_cap);
    }
  }
  if (reads) details["received"] = {{"bytes", rd.bytes.size()}, {"text", escape_bytes(rd.bytes)}};
  banner_phase.reset();

  if (cfg.hold.count() > 0) {
    std::optional<phase_log::scope> hold_phase;
    if (phases) hold_phase.emplace(phases->begin("hold"));
    const auto start = clock::now();
    const auto end_at = std::min(deadline, start + std::chrono::duration_cast<clock::duration>(cfg.hold));
    std::size_t received = 0;
    read_end end = read_end::data;
    while (end == read_end::data) {
      rd.bytes.clear();
      end = co_await rd.more(end_at, hold_chunk);
      received += rd.bytes.size();
    }
    const double held_ms = to_ms(clock::now() - start);
    details["hold"] = {{"requested_ms", to_ms(cfg.hold)},
                       {"held_ms", held_ms},
                       {"bytes_received", received},
                       {"ended", end == read_end::deadline ? "time" : to_string(end)}};
    if (ended_by_error(end)) {
      char when[64];
      std::snprintf(when, sizeof when, "%.0f ms into the hold", held_ms);
      v.raise(status::fail, reason::tcp_reset, reset_message(peer, when, rd.error));
      co_return;
    }
  }

  if (const auto info = read_tcp_info(socket)) {
    details["tcp_info_end"] = to_json(*info);
    if (info->peer_window == 0u && info->state == "established")
      v.raise(status::fail, reason::tcp_zero_window,
              peer + " advertises a zero receive window after the exchange (" + std::to_string(info->unacked) +
                  " segments unacknowledged): the application is not reading its socket");
  }
}

} // namespace edgeprobe
