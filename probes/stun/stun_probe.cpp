#include "probes/stun/stun_probe.hpp"

#include "net/endpoint_text.hpp"
#include "probes/stun/answer.hpp"
#include "probes/stun/channel.hpp"
#include "probes/stun/options.hpp"
#include "probes/stun/requests.hpp"
#include "wire/escape_bytes.hpp"

namespace edgeprobe {

namespace {

class stun_probe final : public probe {
public:
  std::string_view name() const override { return "stun"; }
  std::string_view summary() const override {
    return "STUN Binding over UDP (RFC retransmissions), TCP or TLS: the address this host is seen as";
  }
  target_rules target() const override { return {target_rules::form::host_port, 3478}; }
  const probe_options& options() const override { return stun_option_specs(); }

  std::shared_ptr<const probe_config> configure(const nlohmann::json& check, config_errors& errors) const override {
    return parse_stun_config(check, errors);
  }

  net::awaitable<verdict> run(probe_context& ctx) const override {
    const auto& cfg = ctx.config<stun_config>();
    verdict v;
    const std::string target = endpoint_text(*ctx.address, ctx.port);
    auto channel = co_await open_stun_channel(ctx, cfg, v);
    if (!channel) co_return v;

    stun_reply r;
    {
      auto phase = ctx.phases.begin("binding");
      r = co_await channel->exchange(stun::binding_request(stun::new_transaction_id()), ctx.deadline);
      if (r.arrived) phase.end_arrived(*r.arrived);
    }
    const auto local = channel->local();
    co_await channel->close(ctx.deadline);
    v.details["local"] = endpoint_text(local);
    v.details["exchange"] = r.evidence;
    if (!judge_reply_arrival(r, "the Binding request", target, v)) co_return v;
    v.details["reply_from"] = endpoint_text(r.from);
    v.details["rtt_ms"] = r.rtt_ms;
    // Where the answer came from is known before what it says: kept
    // (details.problems) whatever is wrong with the answer itself.
    judge_reply_origin(r, target, v);

    std::string why;
    const auto answer = read_answer(r.bytes, std::nullopt, why);
    if (!answer) {
      v.raise(status::fail, reason::turn_malformed,
              "the answer from " + endpoint_text(r.from) + " is not STUN (" + why + "; it begins \"" +
                  escape_bytes(std::string_view(reinterpret_cast<const char*>(r.bytes.data()), r.bytes.size()), 48) +
                  "\"): another service answers on this port");
      co_return v;
    }
    v.details["answer"] = answer->to_json();
    if (answer->fingerprint_ok == false)
      v.raise(status::fail, reason::turn_integrity_invalid,
              "the FINGERPRINT of the answer from " + endpoint_text(r.from) + " does not verify: a middlebox altered it");
    if (!answer->is_success()) {
      v.raise(status::fail, reason::turn_error, target + " answered the Binding request with " + answer->summary());
      co_return v;
    }
    if (!answer->mapped) {
      v.raise(status::fail, reason::turn_malformed,
              "the Binding success from " + endpoint_text(r.from) + " has no (readable) XOR-MAPPED-ADDRESS or MAPPED-ADDRESS");
      co_return v;
    }
    const bool translated = answer->mapped->address() != local.address() || answer->mapped->port() != local.port();
    v.details["translated"] = translated;
    if (v.passed())
      v.message = "STUN Binding answered by " + endpoint_text(r.from) + ": this host is seen as " +
                  endpoint_text(*answer->mapped) + (translated ? " (it sent from " + endpoint_text(local) + ": NAT)" : "");
    co_return v;
  }
};

} // namespace

std::unique_ptr<probe> make_stun_probe() { return std::make_unique<stun_probe>(); }

} // namespace edgeprobe
