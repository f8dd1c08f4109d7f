#include "probes/turn/turn_probe.hpp"

#include "net/endpoint_text.hpp"
#include "probes/stun/answer.hpp"
#include "probes/stun/channel.hpp"
#include "probes/stun/requests.hpp"
#include "probes/turn/options.hpp"
#include "wire/escape_bytes.hpp"

namespace edgeprobe {

namespace {

using key_span = std::optional<std::span<const std::uint8_t>>;

// One check's conversation with the relay: each request's exchange goes into
// details.exchanges, and what went wrong on the way is raised on the verdict.
class turn_run {
public:
  turn_run(probe_context& ctx, const turn_config& cfg, stun_channel& channel, verdict& v)
      : ctx_(ctx), cfg_(cfg), channel_(channel), v_(v), target_(endpoint_text(*ctx.address, ctx.port)) {
    v_.details["exchanges"] = nlohmann::json::array();
  }

  // Sends `request` named `what`; on an answer that decodes, returns it. Raises
  // the reason otherwise.
  net::awaitable<std::optional<stun_answer>> send(const char* phase_name, const std::string& what,
                                                  std::vector<std::uint8_t> request, key_span key) {
    stun_reply r;
    {
      auto phase = ctx_.phases.begin(phase_name);
      r = co_await channel_.exchange(std::move(request), ctx_.deadline);
      if (r.arrived) phase.end_arrived(*r.arrived);
    }
    nlohmann::json record = r.evidence;
    record["request"] = what;
    if (r.how == stun_reply::ended::answered) {
      record["reply_from"] = endpoint_text(r.from);
      record["rtt_ms"] = r.rtt_ms;
    }
    const bool arrived = judge_reply_arrival(r, "the " + what, target_, v_);
    std::optional<stun_answer> answer;
    if (arrived) {
      // Where the answer came from is known before what it says: kept
      // (details.problems) whatever is wrong with the answer itself.
      judge_reply_origin(r, target_, v_);
      std::string why;
      answer = read_answer(r.bytes, key, why);
      if (!answer) {
        v_.raise(status::fail, reason::turn_malformed,
                 "the answer from " + endpoint_text(r.from) + " to the " + what + " is not STUN (" + why +
                     "; it begins \"" +
                     escape_bytes(std::string_view(reinterpret_cast<const char*>(r.bytes.data()), r.bytes.size()), 48) +
                     "\"): another service answers on this port");
      } else {
        record["answer"] = answer->to_json();
        if (answer->fingerprint_ok == false)
          v_.raise(status::fail, reason::turn_integrity_invalid,
                   "the FINGERPRINT of the answer from " + endpoint_text(r.from) + " does not verify: a middlebox "
                   "altered it on the way");
        v_.details["reply_from"] = endpoint_text(r.from);
      }
    }
    v_.details["exchanges"].push_back(std::move(record));
    co_return answer;
  }

  net::awaitable<void> run() {
    const auto first = cfg_.dialect == stun::dialect::ms_turn
                           ? stun::ms_allocate_request(stun::new_transaction_id())
                           : stun::allocate_request(stun::new_transaction_id(),
                                                    {cfg_.lifetime, cfg_.requested_family, std::nullopt});
    const auto challenge = co_await send("allocate", "Allocate request", first, std::nullopt);
    v_.details["local"] = endpoint_text(channel_.local());
    if (!challenge) co_return;
    note_server(*challenge);
    if (!cfg_.has_credentials()) co_return judge_reachable(*challenge);

    if (challenge->is_success()) { // a relay that wants no credentials at all
      co_await finish_allocation(*challenge, std::nullopt);
      co_return;
    }
    if (challenge->error_code() != 401) {
      v_.raise(status::fail, reason::turn_error,
               target_ + " answered the unauthenticated Allocate with " + challenge->summary() +
                   " instead of a 401 challenge");
      co_return;
    }
    if (challenge->nonce.empty() || (challenge->realm.empty() && cfg_.realm.empty())) {
      v_.raise(status::fail, reason::turn_malformed,
               target_ + "'s 401 challenge lacks " + std::string(challenge->nonce.empty() ? "NONCE" : "REALM") +
                   ": the long-term credential exchange cannot go on");
      co_return;
    }
    credentials_.username = cfg_.username;
    credentials_.realm = cfg_.realm.empty() ? challenge->realm : cfg_.realm;
    credentials_.nonce = challenge->nonce;
    credentials_.key = stun::long_term_key(cfg_.username, credentials_.realm, cfg_.password);
    v_.details["realm"] = credentials_.realm;

    auto granted = co_await authenticated("authenticate", "authenticated Allocate request", [&] {
      return stun::allocate_request(stun::new_transaction_id(),
                                    {cfg_.lifetime, cfg_.requested_family, credentials_});
    });
    if (!granted) co_return;
    if (!granted->is_success()) {
      judge_refusal(*granted, "the Allocate");
      co_return;
    }
    co_await finish_allocation(*granted, credentials_);
  }

private:
  void note_server(const stun_answer& a) {
    if (!a.realm.empty()) v_.details["realm"] = a.realm;
    if (!a.software.empty()) v_.details["software"] = a.software;
    if (a.ms_version) v_.details["ms_version"] = *a.ms_version;
  }

  void judge_reachable(const stun_answer& a) {
    v_.details["outcome"] = "reachable";
    if (!v_.passed()) return;
    std::string what = a.summary();
    if (!a.realm.empty()) what += " with realm \"" + a.realm + "\"";
    v_.message = "the TURN server at " + target_ + " answers the Allocate request: " + what +
                 " — the relay is there and the path is open";
  }

  // Sends an authenticated request; retries once with the new NONCE on 438.
  template <class Build>
  net::awaitable<std::optional<stun_answer>> authenticated(const char* phase_name, const std::string& what, Build build) {
    auto answer = co_await send(phase_name, what, build(), std::span<const std::uint8_t>(credentials_.key));
    if (answer && answer->error_code() == 438 && !answer->nonce.empty()) {
      v_.details["stale_nonce_retried"] = true;
      credentials_.nonce = answer->nonce;
      answer = co_await send(phase_name, what + " (new nonce)", build(), std::span<const std::uint8_t>(credentials_.key));
    }
    co_return answer;
  }

  void judge_refusal(const stun_answer& a, const std::string& what) {
    const int code = a.error_code();
    if (code == 401 || code == 441 || code == 436 || code == 431)
      v_.raise(status::fail, reason::turn_auth_failed,
               target_ + " refused " + what + " of user \"" + cfg_.username + "\" in realm \"" + credentials_.realm +
                   "\": " + a.summary());
    else
      v_.raise(status::fail, reason::turn_error, target_ + " answered " + what + " with " + a.summary());
  }

  net::awaitable<void> finish_allocation(const stun_answer& a, const std::optional<stun::long_term_credentials>& c) {
    if (c && a.integrity_ok == false)
      v_.raise(status::fail, reason::turn_integrity_invalid,
               "the MESSAGE-INTEGRITY of " + target_ + "'s Allocate success does not verify with the key of user \"" +
                   c->username + "\" in realm \"" + c->realm + "\"");
    if (a.relayed) v_.details["relayed_address"] = endpoint_text(*a.relayed);
    if (a.mapped) v_.details["mapped_address"] = endpoint_text(*a.mapped);
    if (a.lifetime) v_.details["lifetime_s"] = *a.lifetime;
    v_.details["outcome"] = "allocated";
    if (!a.relayed)
      v_.raise(status::fail, reason::turn_malformed, target_ + "'s Allocate success carries no XOR-RELAYED-ADDRESS");

    bool released = false;
    if (cfg_.release && c) {
      auto done = co_await authenticated("release", "Refresh request (lifetime 0)",
                                         [&] { return stun::refresh_request(stun::new_transaction_id(), 0, credentials_); });
      released = done && done->is_success();
      if (done && !done->is_success())
        v_.raise(status::warn, reason::turn_error,
                 "the allocation was granted but the release (Refresh, lifetime 0) was answered with " +
                     done->summary() + ": it stays on the relay until its lifetime ends");
    }
    v_.details["released"] = released;
    if (v_.passed())
      v_.message = "TURN allocation at " + target_ + ": relayed address " +
                   (a.relayed ? endpoint_text(*a.relayed) : "?") + ", mapped " +
                   (a.mapped ? endpoint_text(*a.mapped) : "?") +
                   (a.lifetime ? ", lifetime " + std::to_string(*a.lifetime) + " s" : "") +
                   (released ? "; released" : cfg_.release ? "" : "; kept (release: false)");
  }

  probe_context& ctx_;
  const turn_config& cfg_;
  stun_channel& channel_;
  verdict& v_;
  std::string target_;
  stun::long_term_credentials credentials_;
};

class turn_probe final : public probe {
public:
  std::string_view name() const override { return "turn"; }
  std::string_view summary() const override {
    return "TURN Allocate (RFC or MS-TURN) over UDP, TCP or TLS: the relay is reachable, or grants and releases a "
           "relayed address";
  }
  target_rules target() const override { return {target_rules::form::host_port, 3478}; }
  const probe_options& options() const override { return turn_option_specs(); }

  std::shared_ptr<const probe_config> configure(const nlohmann::json& check, config_errors& errors) const override {
    return parse_turn_config(check, errors);
  }

  net::awaitable<verdict> run(probe_context& ctx) const override {
    const auto& cfg = ctx.config<turn_config>();
    verdict v;
    auto channel = co_await open_stun_channel(ctx, cfg, v);
    if (!channel) co_return v;
    v.details["dialect"] = cfg.dialect == stun::dialect::ms_turn ? "ms-turn" : "rfc";
    turn_run run(ctx, cfg, *channel, v);
    co_await run.run();
    co_await channel->close(ctx.deadline);
    if (v.passed() && cfg.outcome == turn_outcome::allocated && v.details.value("outcome", "") != "allocated")
      v.raise(status::fail, reason::turn_error, "no allocation was granted");
    co_return v;
  }
};

} // namespace

std::unique_ptr<probe> make_turn_probe() { return std::make_unique<turn_probe>(); }

} // namespace edgeprobe
