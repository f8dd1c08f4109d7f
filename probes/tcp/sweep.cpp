#include "probes/tcp/sweep.hpp"

#include "net/tcp_connect.hpp"
#include "probes/tcp/attempt.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <atomic>
#include <exception>

namespace edgeprobe {

namespace {

// Attempts in flight at once: enough that blocked ports (each waiting out the
// deadline) do not starve the rest, few enough for a 1024 file-descriptor limit.
constexpr std::size_t max_in_flight = 256;
constexpr std::size_t ports_named = 20; // in a message; the details list them all

std::string port_list(const std::vector<const tcp_attempt*>& attempts, bool with_reason) {
  std::string text;
  for (std::size_t i = 0; i < attempts.size() && i < ports_named; ++i) {
    if (i) text += ", ";
    text += std::to_string(attempts[i]->source_port);
    if (with_reason) text += " (" + std::string(code(attempts[i]->connect)) + ")";
  }
  if (attempts.size() > ports_named) text += " and " + std::to_string(attempts.size() - ports_named) + " more";
  return text;
}

nlohmann::json row(const tcp_attempt& a) {
  nlohmann::json r = {{"source_port", a.source_port},
                      {"status", to_string(a.outcome.state)},
                      {"reason", a.outcome.why == reason::none ? nlohmann::json() : nlohmann::json(code(a.outcome.why))},
                      {"message", a.outcome.message}};
  nlohmann::json evidence = a.details;
  if (a.connection) a.connection->add_to(evidence);
  for (const char* key : {"local_port", "connect_ms", "syns_sent", "error", "responder"})
    if (evidence.contains(key)) r[key] = evidence[key];
  return r;
}

// The most severe attempt's verdict (the first in port order at equal severity),
// its message naming the source port.
verdict worst_of(const std::vector<const tcp_attempt*>& attempts) {
  const tcp_attempt* worst = attempts.front();
  for (const auto* a : attempts)
    if (a->outcome.state > worst->outcome.state) worst = a;
  verdict v = worst->outcome;
  v.message = "source port " + std::to_string(worst->source_port) + ": " + v.message;
  return v;
}

} // namespace

net::awaitable<verdict> run_sweep(probe_context& ctx, const tcp_config& cfg, net::ip::tcp::endpoint remote) {
  const auto& ports = cfg.source_ports;
  std::vector<std::optional<tcp_attempt>> results(ports.size());
  std::atomic<std::size_t> next{0};

  auto worker = [&]() -> net::awaitable<void> {
    for (std::size_t i = next++; i < ports.size(); i = next++) {
      if (clock::now() >= ctx.deadline) break; // the rest are reported as not tried
      results[i] = co_await run_tcp_attempt(ctx, cfg, remote, ports[i], false);
    }
  };
  {
    auto phase = ctx.phases.begin("connect");
    using op_type = decltype(net::co_spawn(ctx.executor, worker(), net::deferred));
    std::vector<op_type> workers;
    for (std::size_t i = 0; i < std::min(ports.size(), max_in_flight); ++i)
      workers.push_back(net::co_spawn(ctx.executor, worker(), net::deferred));
    auto [order, errors] = co_await net::experimental::make_parallel_group(std::move(workers))
                               .async_wait(net::experimental::wait_for_all(), net::use_awaitable);
    for (const auto& e : errors)
      if (e) std::rethrow_exception(e);
  }

  std::vector<const tcp_attempt*> tried, open, blocked, unavailable;
  std::vector<std::uint16_t> not_tried;
  nlohmann::json rows = nlohmann::json::array();
  for (std::size_t i = 0; i < ports.size(); ++i) {
    if (!results[i]) {
      not_tried.push_back(ports[i]);
      rows.push_back({{"source_port", ports[i]}, {"status", "skip"}, {"message", "not tried: the deadline passed first"}});
      continue;
    }
    const tcp_attempt& a = *results[i];
    rows.push_back(row(a));
    tried.push_back(&a);
    if (a.connected) open.push_back(&a);
    else if (a.local_failure) unavailable.push_back(&a);
    else blocked.push_back(&a);
  }

  const std::string target = endpoint_text(remote);
  verdict v;
  if (cfg.state == expected_state::open && !open.empty() && !blocked.empty()) {
    v.raise(status::fail, reason::tcp_source_port_blocked,
            "source port" + std::string(blocked.size() == 1 ? " " : "s ") + port_list(blocked, true) +
                " could not connect to " + target + " while " + std::to_string(open.size()) + " other source port" +
                (open.size() == 1 ? "" : "s") + " did");
  } else if (cfg.state == expected_state::open && open.empty() && !blocked.empty()) {
    v = blocked.front()->outcome;
    v.message = "every source port failed (" + std::to_string(blocked.size()) + "); source port " +
                std::to_string(blocked.front()->source_port) + ": " + v.message;
  } else if (!tried.empty()) {
    v = worst_of(tried);
    if (v.passed() && v.why == reason::none)
      v.message = std::to_string(tried.size()) + " source ports to " + target + ": " +
                  (cfg.state == expected_state::open ? "all connected" : "none open, as expected");
  }
  if (!not_tried.empty() && v.passed()) // a failure already found says more than "unfinished"
    v.raise(status::error, reason::check_timeout,
            "the deadline passed before " + std::to_string(not_tried.size()) + " of " + std::to_string(ports.size()) +
                " source ports were tried");

  auto port_numbers = [](const std::vector<const tcp_attempt*>& list) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto* a : list) out.push_back(a->source_port);
    return out;
  };
  v.details = {{"remote", target},
               {"sweep", std::move(rows)},
               {"open_ports", port_numbers(open)},
               {"failed_ports", port_numbers(blocked)},
               {"unavailable_ports", port_numbers(unavailable)},
               {"not_tried_ports", not_tried}};
  co_return v;
}

} // namespace edgeprobe
