#include "probes/dns/dns_probe.hpp"

#include "net/resolver.hpp"
#include "probes/dns/evaluate.hpp"
#include "probes/dns/options.hpp"
#include "wire/dns/codec.hpp"

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ip/address.hpp>

#include <optional>

namespace edgeprobe {

namespace {

// PTR for an address target asks for its reverse name (in-addr.arpa / ip6.arpa).
std::string reverse_name(const net::ip::address& a) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  if (a.is_v4()) {
    const auto b = a.to_v4().to_bytes();
    for (int i = 3; i >= 0; --i) out += std::to_string(b[static_cast<std::size_t>(i)]) + ".";
    return out + "in-addr.arpa";
  }
  const auto b = a.to_v6().to_bytes();
  for (int i = 15; i >= 0; --i) {
    const auto byte = b[static_cast<std::size_t>(i)];
    out += std::string{digits[byte & 0x0F], '.', digits[byte >> 4], '.'};
  }
  return out + "ip6.arpa";
}

net::awaitable<dns_exchange> ask(resolver& r, std::string name, std::uint16_t qtype, clock::time_point deadline) {
  dns_exchange x;
  x.qtype = qtype;
  const auto started = clock::now();
  x.answer = co_await r.query(std::move(name), qtype, deadline);
  // The network's round trip when the kernel stamped the answer; the time this
  // coroutine took to resume is edgeprobe's, and max_ms must not judge it.
  // (A lookup that joined another's query after its answer had arrived waited 0.)
  x.ms = x.answer.sent && x.answer.arrived
             ? std::max(0.0, to_ms(*x.answer.arrived - std::max(*x.answer.sent, started)))
             : to_ms(clock::now() - started);
  co_return x;
}

class dns_probe final : public probe {
public:
  std::string_view name() const override { return "dns"; }
  std::string_view summary() const override {
    return "Resolves a name through c-ares (A, AAAA, SRV, MX, TXT, ...) and checks rcode and answers";
  }
  target_rules target() const override { return {target_rules::form::name, 0}; }
  const probe_options& options() const override { return dns_option_specs(); }
  bool per_address() const override { return false; }

  std::shared_ptr<const probe_config> configure(const nlohmann::json& check, config_errors& errors) const override {
    return parse_dns_config(check, errors);
  }

  net::awaitable<verdict> run(probe_context& ctx) const override {
    const auto& cfg = ctx.config<dns_config>();
    // transport and recursion are this probe's options: when they differ from the
    // check's shared resolver, ask through a resolver of our own.
    const resolver_spec wanted{ctx.check.resolver.server, cfg.tcp, cfg.recursion};
    std::optional<resolver> own;
    resolver* dns = &ctx.resolver;
    if (!(ctx.resolver.spec() == wanted)) dns = &own.emplace(ctx.executor, wanted);

    std::string qname = ctx.check.target.host;
    boost::system::error_code ec;
    if (const auto literal = net::ip::make_address(qname, ec); !ec && cfg.type == dns::type::ptr)
      qname = reverse_name(literal);

    std::vector<dns_exchange> exchanges;
    auto timing = ctx.phases.begin("dns");
    if (cfg.type) {
      exchanges.push_back(co_await ask(*dns, qname, *cfg.type, ctx.deadline));
    } else if (ctx.check.family == address_family::any) {
      using namespace net::experimental::awaitable_operators;
      auto [a, aaaa] = co_await (ask(*dns, qname, dns::type::a, ctx.deadline) &&
                                 ask(*dns, qname, dns::type::aaaa, ctx.deadline));
      exchanges.push_back(std::move(a));
      exchanges.push_back(std::move(aaaa));
    } else {
      const auto qtype = ctx.check.family == address_family::ipv4 ? dns::type::a : dns::type::aaaa;
      exchanges.push_back(co_await ask(*dns, qname, qtype, ctx.deadline));
    }
    std::optional<clock::time_point> last_arrival;
    for (const auto& x : exchanges)
      if (x.answer.arrived) last_arrival = std::max(last_arrival.value_or(*x.answer.arrived), *x.answer.arrived);
    if (last_arrival) timing.end_arrived(*last_arrival);
    timing.end();
    co_return evaluate_dns(cfg, qname, !cfg.type, exchanges);
  }
};

} // namespace

std::unique_ptr<probe> make_dns_probe() { return std::make_unique<dns_probe>(); }

} // namespace edgeprobe
