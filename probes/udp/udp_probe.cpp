#include "probes/udp/udp_probe.hpp"

#include "net/endpoint_text.hpp"
#include "net/responder_greeting.hpp"
#include "net/udp_evidence.hpp"
#include "net/udp_exchange.hpp"
#include "probes/udp/options.hpp"
#include "wire/escape_bytes.hpp"

#include <algorithm>
#include <cstdio>

namespace edgeprobe {

namespace {

using udp = net::ip::udp;

constexpr std::size_t max_shown_bytes = 512; // evidence, not a hex dump of a whole answer



bool printable(std::span<const std::uint8_t> bytes) {
  return std::all_of(bytes.begin(), bytes.end(),
                     [](std::uint8_t c) { return (c >= 0x20 && c < 0x7F) || c == '\r' || c == '\n' || c == '\t'; });
}

const char* observed_state(const udp_report& r) {
  switch (r.outcome) {
    case udp_outcome::answered: return "open";
    case udp_outcome::icmp_error: return r.icmp->kind == icmp_kind::port_unreachable && !r.icmp->local ? "closed"
                                                                                                       : "filtered";
    case udp_outcome::silence: return "filtered";
    case udp_outcome::local_error: return "unknown";
  }
  return "unknown";
}

nlohmann::json evidence(const udp_report& r, std::size_t sent_bytes, clock::time_point origin) {
  nlohmann::json d;
  d["state"] = observed_state(r);
  d["local"] = {{"address", r.local.address().to_string()}, {"port", r.local.port()}};
  d["sent_bytes"] = sent_bytes;
  d["transmissions"] = transmissions_json(r, origin);
  if (r.outcome == udp_outcome::answered) {
    const std::span<const std::uint8_t> shown(r.answer.data(), std::min(r.answer.size(), max_shown_bytes));
    d["reply_from"] = endpoint_text(r.answer_from);
    d["reply_from_other_address"] = r.from_other_address;
    d["reply_from_other_port"] = r.from_other_port;
    d["reply_size"] = r.answer.size();
    d["reply_hex"] = hex_digits(std::string_view(reinterpret_cast<const char*>(shown.data()), shown.size()));
    if (shown.size() < r.answer.size()) d["reply_truncated"] = true;
    if (printable(shown)) d["reply_text"] = std::string(shown.begin(), shown.end());
    if (const auto rtt = answer_rtt(r)) d["rtt_ms"] = to_ms(*rtt);
  }
  if (r.icmp) {
    nlohmann::json icmp = to_json(*r.icmp);
    icmp["after_ms"] = to_ms(r.icmp->received - r.started);
    d["icmp"] = std::move(icmp);
  }
  if (r.outcome == udp_outcome::local_error)
    d["local_error"] = {{"step", r.failed_step}, {"error", r.error.message()}};
  return d;
}



// The observed state against expect.state.
void judge_state(const udp_config& cfg, const udp_report& r, const std::string& target, verdict& v) {
  const std::string state = observed_state(r);
  if (state == "open") {
    if (cfg.state != udp_state::open)
      v.raise(status::fail, reason::udp_unexpectedly_open,
              "UDP " + target + " answered from " + endpoint_text(r.answer_from) + " after " +
                  ms_text(r.answered_at - first_sent(r)) + " although it must not be reachable");
    return;
  }
  // Not open: what the network said instead, which is the evidence either way.
  reason why = reason::udp_no_response;
  std::string seen;
  bool expected = cfg.state == udp_state::not_open;
  if (state == "closed") {
    why = reason::udp_port_unreachable;
    seen = icmp_text(r) + ": nothing listens on UDP " + target + ", or a firewall rejects it";
    expected = expected || cfg.state == udp_state::closed;
  } else if (r.icmp) { // an ICMP error from a router or firewall: filtered
    why = icmp_reason(*r.icmp);
    seen = icmp_text(r) + " for UDP " + target;
    expected = expected || cfg.state == udp_state::filtered;
  } else {
    seen = "no answer from UDP " + target + " to " + datagrams_text(r.transmissions.size()) + " of " +
           std::to_string(cfg.payload.size()) + " bytes in " + ms_text(clock::now() - first_sent(r)) +
           ": a firewall drops them, or the service ignores these bytes; UDP cannot tell which";
    expected = expected || cfg.state == udp_state::filtered;
  }
  if (expected) {
    v.raise(status::pass, why, std::string(cfg.state == udp_state::closed ? "closed" : cfg.state == udp_state::filtered ? "filtered" : "not open") +
                                 " as expected: " + seen);
    return;
  }
  const char* wanted = cfg.state == udp_state::closed     ? " (expected ICMP port unreachable)"
                       : cfg.state == udp_state::filtered ? " (expected silence)"
                                                          : "";
  v.raise(status::fail, why, seen + wanted);
}

std::string_view as_text(const std::vector<std::uint8_t>& bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

// An edgeprobe responder names the source address and port it saw: evidence that
// proves the path end to end, and reveals NAT when it differs from this side's.
void judge_responder(const udp_config& cfg, const udp_report& r, verdict& v) {
  const auto greeting = parse_greeting(as_text(r.answer));
  if (!greeting) {
    if (cfg.responder)
      v.raise(status::fail, reason::udp_reply_mismatch,
              "the answer from " + endpoint_text(r.answer_from) +
                  " is not an edgeprobe responder greeting: another service answers on this port");
    return;
  }
  const auto seen = compare_greeting(*greeting, r.local.address(), r.local.port());
  v.details["responder"] = seen.evidence;
  if (seen.translated)
    v.raise(cfg.no_translation ? status::fail : status::pass, reason::path_address_translated,
            "the responder saw this host as " + seen.seen + " but it sent from " + endpoint_text(r.local) +
                ": NAT or a proxy sits on the path");
}

void judge_answer(const udp_config& cfg, const udp_report& r, const udp::endpoint& target, verdict& v) {
  if (cfg.reply && !cfg.reply->matches(as_text(r.answer)))
    v.raise(status::fail, reason::udp_reply_mismatch,
            "the answer from " + endpoint_text(r.answer_from) + " (" + std::to_string(r.answer.size()) +
                " bytes) does not match " + cfg.reply->describe());
  judge_responder(cfg, r, v);
  if (r.from_other_address || r.from_other_port) {
    // Accepted (the unconnected socket saw it) but a warning: an ordinary client
    // behind a stateful firewall or NAT never receives such an answer.
    std::string message = "the answer came from " + endpoint_text(r.answer_from) + ", not from " +
                          endpoint_text(target) +
                          " where the datagram went: stateful firewalls and NAT drop such answers for ordinary clients";
    v.raise(cfg.no_translation ? status::fail : status::warn, reason::path_address_translated, message);
    if (v.message == message) // it is the finding reported, so its hint is this one
      v.hint = "The service answers from another address or port than the one asked (a multi-homed or clustered "
               "host, or a second socket). Make it answer from the address clients use, or allow those answers on "
               "every stateful firewall in between.";
  }
}

class udp_probe final : public probe {
public:
  std::string_view name() const override { return "udp"; }
  std::string_view summary() const override {
    return "Sends a datagram: open (an answer), closed (ICMP port unreachable) or filtered (silence)";
  }
  target_rules target() const override { return {target_rules::form::host_port, 0}; }
  const probe_options& options() const override { return udp_option_spec(); }

  std::shared_ptr<const probe_config> configure(const nlohmann::json& check, config_errors& errors) const override {
    return parse_udp_config(check, errors);
  }

  net::awaitable<verdict> run(probe_context& ctx) const override {
    const auto& cfg = ctx.config<udp_config>();
    udp_request request;
    request.target = udp::endpoint(*ctx.address, ctx.port);
    request.payload.assign(cfg.payload.begin(), cfg.payload.end());
    request.source_port = cfg.source_port;
    request.schedule = retransmission_schedule::fitted(ctx.deadline - clock::now(), cfg.retransmissions + 1);
    const auto target = request.target;
    const std::string target_text = endpoint_text(target);

    auto phase = ctx.phases.begin("exchange");
    const udp_report report = co_await udp_exchange(std::move(request), ctx.deadline);
    if (const auto arrived = stamped_arrival(report)) phase.end_arrived(*arrived);
    phase.end();

    verdict v;
    v.details = evidence(report, cfg.payload.size(), ctx.phases.origin());
    if (report.outcome == udp_outcome::local_error) {
      judge_local_error(report, target_text, cfg.source_port, v);
      co_return v;
    }
    judge_state(cfg, report, target_text, v);
    if (report.outcome == udp_outcome::answered && cfg.state == udp_state::open) judge_answer(cfg, report, target, v);
    co_return v;
  }
};

} // namespace

std::unique_ptr<probe> make_udp_probe() { return std::make_unique<udp_probe>(); }

} // namespace edgeprobe
