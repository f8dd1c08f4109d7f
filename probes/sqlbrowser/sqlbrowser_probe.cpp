#include "probes/sqlbrowser/sqlbrowser_probe.hpp"

#include "core/deadline.hpp"
#include "net/endpoint_text.hpp"
#include "net/tcp_connect.hpp"
#include "net/udp_evidence.hpp"
#include "net/udp_exchange.hpp"
#include "probes/sqlbrowser/options.hpp"
#include "probes/sqlbrowser/prelogin.hpp"
#include "probes/sqlbrowser/ssrp.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <algorithm>
#include <array>

namespace edgeprobe {

namespace {

using udp = net::ip::udp;
using tcp = net::ip::tcp;

nlohmann::json instance_json(const ssrp::instance& i) {
  nlohmann::json j = {{"server", i.server_name},
                      {"instance", i.instance_name},
                      {"clustered", i.is_clustered},
                      {"version", i.version}};
  j["tcp_port"] = i.tcp ? nlohmann::json(*i.tcp) : nlohmann::json();
  if (i.np) j["pipe"] = *i.np;
  if (i.rpc) j["rpc"] = *i.rpc;
  if (i.via) j["via"] = i.via->netbios;
  return j;
}

std::string names(const std::vector<ssrp::instance>& list) {
  std::string out;
  for (const auto& i : list) out += (out.empty() ? "" : ", ") + i.instance_name;
  return out.empty() ? "none" : out;
}

// One SSRP question on an unconnected socket (udp_exchange): any datagram back
// is the answer, from whatever address it came.
net::awaitable<udp_report> ask(const udp::endpoint& target, std::vector<std::uint8_t> request,
                               clock::time_point deadline) {
  udp_request r;
  r.target = target;
  r.payload = std::move(request);
  co_return co_await udp_exchange(std::move(r), deadline);
}

class sqlbrowser_probe final : public probe {
public:
  std::string_view name() const override { return "sqlbrowser"; }
  std::string_view summary() const override {
    return "SQL Server Browser on UDP 1434: where an instance listens (seeing answers from another address, the "
           "clustered-instance trap), then a TCP connect and optional TDS PRELOGIN there";
  }
  target_rules target() const override { return {target_rules::form::host_port, ssrp::port}; }
  const probe_options& options() const override { return sqlbrowser_option_specs(); }

  std::shared_ptr<const probe_config> configure(const nlohmann::json& check, config_errors& errors) const override {
    return parse_sqlbrowser_config(check, errors);
  }

  net::awaitable<verdict> run(probe_context& ctx) const override {
    const auto& cfg = ctx.config<sqlbrowser_config>();
    verdict v;
    const udp::endpoint browser(*ctx.address, ctx.port);
    const auto target = endpoint_text(browser);
    const bool named = !cfg.instance.empty();
    const auto kind = named ? ssrp::request_kind::ucast_inst : ssrp::request_kind::ucast_ex;
    auto request = named ? *ssrp::build_ucast_inst(cfg.instance) : ssrp::build_ucast_ex();

    // A named instance's silence is ambiguous (an unknown instance gets no answer
    // at all), so keep half the time to ask for the whole list afterwards.
    const auto first_deadline = named ? clock::now() + (ctx.deadline - clock::now()) / 2 : ctx.deadline;
    udp_report report;
    {
      auto phase = ctx.phases.begin("browser");
      report = co_await ask(browser, std::move(request), first_deadline);
      if (const auto arrived = stamped_arrival(report)) phase.end_arrived(*arrived);
    }
    v.details["request"] = ssrp::request_name(kind);
    v.details["transmissions"] = transmissions_json(report, report.started);
    if (!judge_arrival(report, target, v)) {
      if (report.outcome != udp_outcome::silence || !named) co_return v;
      co_return co_await tell_silence(ctx, cfg, browser, v);
    }
    v.details["reply_from"] = endpoint_text(report.answer_from);
    // Where the answer came from is known before what it says: a reply from
    // elsewhere is kept (details.problems) whatever fails after it.
    judge_origin(report, target, v);
    const auto decoded = ssrp::decode_response(report.answer, kind);
    if (!decoded) {
      v.raise(status::fail, reason::sqlbrowser_malformed,
              "the answer from " + endpoint_text(report.answer_from) + " is not an SSRP response (" +
                  decoded.error.what + ")");
      co_return v;
    }
    nlohmann::json instances = nlohmann::json::array();
    for (const auto& i : *decoded.value) instances.push_back(instance_json(i));
    v.details["instances"] = instances;

    for (const auto& want : cfg.instances_include)
      if (std::none_of(decoded.value->begin(), decoded.value->end(),
                       [&](const ssrp::instance& i) { return ssrp::same_instance_name(i.instance_name, want); }))
        v.raise(status::fail, reason::sqlbrowser_instance_not_found,
                "the Browser at " + target + " does not list " + want + "; it lists " + names(*decoded.value));
    if (!named) {
      if (v.passed() || v.state == status::warn)
        if (v.message.empty() || v.passed())
          v.message = "the Browser at " + target + " lists " + names(*decoded.value);
      co_return v;
    }

    const auto it = std::find_if(decoded.value->begin(), decoded.value->end(), [&](const ssrp::instance& i) {
      return ssrp::same_instance_name(i.instance_name, cfg.instance);
    });
    if (it == decoded.value->end()) {
      v.raise(status::fail, reason::sqlbrowser_instance_not_found,
              "the Browser at " + target + " answered for " + names(*decoded.value) + ", not for " + cfg.instance);
      co_return v;
    }
    const auto& inst = *it;
    if (!cfg.version_prefix.empty() && !inst.version.starts_with(cfg.version_prefix))
      v.raise(status::fail, reason::sqlbrowser_version_mismatch,
              cfg.instance + " reports version " + inst.version + ", not " + cfg.version_prefix + "…");
    if (!inst.tcp) {
      v.raise(status::fail, reason::sqlbrowser_no_tcp_endpoint,
              cfg.instance + " at " + target + " offers no TCP endpoint (" +
                  (inst.np ? "named pipes only: " + *inst.np : std::string("no tcp token")) + ")");
      co_return v;
    }
    v.details["tcp_port"] = *inst.tcp;
    if (cfg.tcp_port && *inst.tcp != *cfg.tcp_port)
      v.raise(status::fail, reason::sqlbrowser_port_mismatch,
              cfg.instance + " listens on TCP " + std::to_string(*inst.tcp) + ", not on the expected " +
                  std::to_string(*cfg.tcp_port) + ": a dynamic port moved after a restart");
    if (cfg.dac) co_await ask_dac(ctx, cfg, browser, v);
    if (cfg.connect) co_await connect_instance(ctx, cfg, *inst.tcp, v);
    // A warning (the answer came from elsewhere) still reports where the instance is.
    if (v.passed() || v.state == status::warn) {
      auto found = cfg.instance + " is at TCP " + std::to_string(*inst.tcp) + " (version " + inst.version + ")" +
                   (cfg.connect ? ", and accepts connections there" : "");
      if (v.details.contains("prelogin") && v.details["prelogin"].contains("version"))
        found += "; its PRELOGIN answer says version " + v.details["prelogin"]["version"].get<std::string>() +
                 ", encryption " + v.details["prelogin"]["encryption"].get<std::string>();
      v.message = v.message.empty() ? found : v.message + ". " + found;
    }
    co_return v;
  }

private:
  // No usable answer: the verdict for ICMP, local errors, and plain silence.
  static bool judge_arrival(const udp_report& r, const std::string& target, verdict& v) {
    switch (r.outcome) {
      case udp_outcome::answered: return true;
      case udp_outcome::local_error: judge_local_error(r, target, 0, v); return false;
      case udp_outcome::icmp_error:
        if (r.icmp->kind == icmp_kind::port_unreachable && !r.icmp->local)
          v.raise(status::fail, reason::sqlbrowser_port_unreachable,
                  icmp_text(r) + ": the host is up but the SQL Server Browser service is not running on " + target);
        else
          v.raise(status::fail, icmp_reason(*r.icmp), icmp_text(r) + " for UDP " + target);
        return false;
      case udp_outcome::silence:
        v.raise(status::fail, reason::sqlbrowser_no_response,
                "no answer from the SQL Server Browser at " + target + " to " + datagrams_text(r.transmissions.size()) +
                    ": UDP 1434 is blocked on a firewall, or the Browser service is stopped");
        return false;
    }
    return false;
  }

  static void judge_origin(const udp_report& r, const std::string& target, verdict& v) {
    if (!r.from_other_address) return;
    v.raise(status::warn, reason::sqlbrowser_reply_from_other_address,
            "the Browser answered from " + endpoint_text(r.answer_from) + ", not from " + target +
                " where the question went (a clustered instance answers from its node's own address): clients "
                "behind a stateful firewall never see this answer and report the instance as not found");
  }

  // A named instance got silence: ask for the whole list to tell "the Browser is
  // down or blocked" from "it does not know this instance".
  static net::awaitable<verdict> tell_silence(probe_context& ctx, const sqlbrowser_config& cfg, const udp::endpoint& browser,
                                              verdict v) {
    udp_report all;
    {
      auto phase = ctx.phases.begin("browser_list");
      all = co_await ask(browser, ssrp::build_ucast_ex(), ctx.deadline);
      if (const auto arrived = stamped_arrival(all)) phase.end_arrived(*arrived);
    }
    v.details["list_transmissions"] = transmissions_json(all, all.started);
    if (all.outcome != udp_outcome::answered) co_return v; // still sqlbrowser.no_response
    const auto listed = ssrp::decode_response(all.answer, ssrp::request_kind::ucast_ex);
    // The list answered, so the silence was not the Browser's absence: the
    // provisional sqlbrowser.no_response is dropped, not kept as a finding.
    verdict out;
    out.details = v.details;
    judge_origin(all, endpoint_text(browser), out);
    if (!listed) {
      out.raise(status::fail, reason::sqlbrowser_malformed,
                "the Browser at " + endpoint_text(browser) + " did not answer for " + cfg.instance +
                    ", and its instance list is not an SSRP response (" + listed.error.what + ")");
      co_return out;
    }
    nlohmann::json instances = nlohmann::json::array();
    for (const auto& i : *listed.value) instances.push_back(instance_json(i));
    out.details["instances"] = instances;
    out.details["reply_from"] = endpoint_text(all.answer_from);
    out.raise(status::fail, reason::sqlbrowser_instance_not_found,
              "the Browser at " + endpoint_text(browser) + " is up (it lists " + names(*listed.value) +
                  ") but stays silent for " + cfg.instance + ": no such instance there — check the name");
    co_return out;
  }

  static net::awaitable<void> ask_dac(probe_context& ctx, const sqlbrowser_config& cfg, const udp::endpoint& browser,
                                      verdict& v) {
    udp_report dac;
    {
      auto phase = ctx.phases.begin("dac");
      dac = co_await ask(browser, *ssrp::build_ucast_dac(cfg.instance), ctx.deadline);
      if (const auto arrived = stamped_arrival(dac)) phase.end_arrived(*arrived);
    }
    if (dac.outcome != udp_outcome::answered) {
      v.details["dac"] = "no answer (remote admin connections are off, or the DAC is not enabled)";
      co_return;
    }
    const auto port = ssrp::decode_dac_response(dac.answer);
    v.details["dac"] = port ? nlohmann::json({{"tcp_port", *port.value}}) : nlohmann::json(port.error.what);
  }

  static net::awaitable<void> connect_instance(probe_context& ctx, const sqlbrowser_config& cfg, std::uint16_t port,
                                               verdict& v) {
    const tcp::endpoint instance(*ctx.address, port);
    connect_report r;
    {
      auto phase = ctx.phases.begin("connect");
      r = co_await connect_with_diagnostics(ctx.executor, instance, {std::nullopt, 0, ctx.deadline});
    }
    v.details["connection"] = r.details();
    if (!r.connected()) {
      v.raise(status::fail, reason::sqlbrowser_instance_unreachable,
              "the Browser names TCP " + std::to_string(port) + " for " + cfg.instance + ", but " +
                  endpoint_text(instance) + " does not accept: " + r.message +
                  (r.why != reason::none ? " (" + std::string(code(r.why)) + ")" : ""));
      co_return;
    }
    if (cfg.prelogin) co_await prelogin(ctx, cfg, *r.socket, v);
    close_connection(*r.socket, true);
  }

  static net::awaitable<void> prelogin(probe_context& ctx, const sqlbrowser_config& cfg, tcp::socket& socket, verdict& v) {
    auto phase = ctx.phases.begin("prelogin");
    tds::client_prelogin hello;
    hello.instance = cfg.instance;
    const auto bytes = tds::build_client_prelogin(hello);
    auto sent = co_await until(ctx.deadline, net::async_write(socket, net::buffer(*bytes), net::deferred));
    std::vector<std::uint8_t> buffer;
    std::string why;
    if (!sent || std::get<0>(*sent)) why = "could not send the PRELOGIN";
    while (why.empty()) {
      // Another service's text would read as a huge TDS length: judge it now, not at the deadline.
      if (buffer.size() >= 8 && buffer[0] != tds::packet_type::tabular_result) break;
      if (const auto size = tds::framed_size(buffer); size && buffer.size() >= *size) {
        buffer.resize(*size);
        break;
      }
      std::array<std::uint8_t, 4096> chunk;
      auto got = co_await until(ctx.deadline, socket.async_read_some(net::buffer(chunk), net::deferred));
      if (!got) why = "no PRELOGIN answer before the deadline";
      else if (std::get<0>(*got)) why = "the server closed the connection: " + std::get<0>(*got).message();
      else buffer.insert(buffer.end(), chunk.begin(), chunk.begin() + static_cast<std::ptrdiff_t>(std::get<1>(*got)));
    }
    if (!why.empty()) {
      v.details["prelogin"] = {{"error", why}};
      v.raise(status::warn, reason::sqlbrowser_malformed, "the instance accepted TCP but " + why + ": is it SQL Server?");
      co_return;
    }
    const auto answer = tds::parse_server_prelogin(buffer);
    if (!answer) {
      v.details["prelogin"] = {{"error", answer.error.what}};
      v.raise(status::warn, reason::sqlbrowser_malformed,
              "the instance's PRELOGIN answer does not decode (" + answer.error.what + "): is it SQL Server?");
      co_return;
    }
    v.details["prelogin"] = {{"version", answer.value->version.text()},
                             {"encryption", tds::encryption_name(answer.value->encryption)}};
    // INSTOPT non-zero: the server on this port is not the instance we named —
    // the port was handed to another instance after the Browser's entry went stale.
    if (answer.value->instance_validity && *answer.value->instance_validity != 0) {
      v.details["prelogin"]["instance_matches"] = false;
      v.raise(status::fail, reason::sqlbrowser_port_mismatch,
              "the server on TCP " + std::to_string(socket.remote_endpoint().port()) + " says it is not " +
                  cfg.instance + " (PRELOGIN INSTOPT " + std::to_string(*answer.value->instance_validity) + ")");
    }
    if (!cfg.version_prefix.empty() && !answer.value->version.text().starts_with(cfg.version_prefix))
      v.raise(status::fail, reason::sqlbrowser_version_mismatch,
              "the server says it is version " + answer.value->version.text() + ", not " + cfg.version_prefix + "…");
  }
};

} // namespace

std::unique_ptr<probe> make_sqlbrowser_probe() { return std::make_unique<sqlbrowser_probe>(); }

} // namespace edgeprobe
