#include "probes/dns/evaluate.hpp"

#include "wire/ascii.hpp"
#include "wire/dns/codec.hpp"

#include <boost/asio/ip/address.hpp>

#include <algorithm>
#include <cmath>
#include <set>

namespace edgeprobe {

namespace {

// The form answers are compared in: addresses canonical, names without case and
// trailing dot, so "FD00::0053" matches "fd00::53" and "Sip.Contoso.com." matches.
std::string comparable(std::string text) {
  boost::system::error_code ec;
  if (auto a = boost::asio::ip::make_address(text, ec); !ec) return a.to_string();
  text = lower_ascii(text);
  if (text.size() > 1 && text.back() == '.') text.pop_back();
  return text;
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out.empty() ? "nothing" : out;
}

reason reason_for_rcode(std::uint8_t rc) {
  switch (rc) {
  case dns::rcode::nxdomain: return reason::dns_nxdomain;
  case dns::rcode::refused: return reason::dns_refused;
  case dns::rcode::noerror: return reason::dns_unexpected_answer;
  default: return reason::dns_servfail; // SERVFAIL, and FORMERR/NOTIMP: the server could not answer
  }
}


} // namespace

verdict evaluate_dns(const dns_config& cfg, const std::string& name, bool address_lookup,
                     const std::vector<dns_exchange>& exchanges) {
  verdict v;
  auto answers = nlohmann::json::array();
  auto chain = nlohmann::json::array();
  auto queries = nlohmann::json::array();
  std::vector<std::string> data;   // the answers' data as shown
  std::set<std::string> seen_data; // ...and as compared
  std::string asked;
  double total_ms = 0;
  std::string resolver_used, server;

  for (const auto& x : exchanges) {
    const std::string what = name + " " + dns::type_name(x.qtype);
    asked += (asked.empty() ? "" : "/") + dns::type_name(x.qtype);
    total_ms = std::max(total_ms, x.ms);
    resolver_used = x.answer.resolver_used;
    if (x.answer.why != reason::none) {
      queries.push_back({{"type", dns::type_name(x.qtype)}, {"error", std::string(code(x.answer.why))}, {"time_ms", x.ms}});
      v.raise(status::fail, x.answer.why, x.answer.message);
      continue;
    }
    server = x.answer.server_address;
    const auto parsed = dns::parse_message(x.answer.response);
    if (!parsed) {
      v.raise(status::fail, reason::dns_unexpected_answer,
              server + " sent a malformed answer for " + what + ": " + parsed.error.what + " at byte " +
                  std::to_string(parsed.error.offset));
      continue;
    }
    const auto& m = *parsed.value;
    int count = 0;
    auto this_chain = nlohmann::json::array(); // A and AAAA walk the same chain: keep one
    for (const auto& r : m.answers) {
      if (r.type == dns::type::cname && x.qtype != dns::type::cname) {
        if (this_chain.empty()) this_chain.push_back(r.name);
        this_chain.push_back(dns::rdata_text(r));
        continue;
      }
      if (r.type != x.qtype) continue;
      ++count;
      const auto text = dns::rdata_text(r);
      answers.push_back({{"type", dns::type_name(r.type)}, {"name", r.name}, {"data", text}, {"ttl", r.ttl}});
      data.push_back(text);
      seen_data.insert(comparable(text));
    }
    if (chain.empty()) chain = std::move(this_chain);
    queries.push_back({{"type", dns::type_name(x.qtype)},
                       {"rcode", dns::rcode_name(m.head.rcode)},
                       {"answers", count},
                       {"authoritative", m.head.aa},
                       {"time_ms", x.ms}});
    if (m.head.rcode != cfg.rcode)
      v.raise(status::fail, reason_for_rcode(m.head.rcode),
              server + " answered " + dns::rcode_name(m.head.rcode) + " for " + what + " (expected " +
                  dns::rcode_name(cfg.rcode) + ")");
  }

  v.details = {{"name", name},     {"resolver", resolver_used}, {"server", server}, {"queries", queries},
               {"answers", answers}, {"time_ms", total_ms}};
  if (!chain.empty()) v.details["cname_chain"] = chain;
  if (!queries.empty() && queries.front().contains("rcode")) v.details["rcode"] = queries.front()["rcode"];
  if (!v.passed()) return v;

  const int count = static_cast<int>(data.size());
  if (cfg.rcode == dns::rcode::noerror && count == 0 && cfg.min_answers.value_or(1) > 0) {
    if (address_lookup)
      v.raise(status::fail, reason::dns_no_address, name + " has no " + asked + " record at " + server);
    else
      v.raise(status::fail, reason::dns_nodata,
              server + " answered NOERROR with no " + asked + " record for " + name + " (NODATA)");
    return v;
  }
  if (cfg.min_answers && count < *cfg.min_answers)
    v.raise(status::fail, reason::dns_unexpected_answer,
            name + " has " + std::to_string(count) + " " + asked + " answer(s), expected at least " +
                std::to_string(*cfg.min_answers) + ": " + joined(data));

  std::vector<std::string> missing, unwanted;
  for (const auto& want : cfg.answers_include)
    if (!seen_data.contains(comparable(want))) missing.push_back(want);
  for (const auto& bad : cfg.answers_exclude)
    if (seen_data.contains(comparable(bad))) unwanted.push_back(bad);
  if (!missing.empty())
    v.raise(status::fail, reason::dns_unexpected_answer,
            name + " " + asked + " lacks " + joined(missing) + "; the answers are " + joined(data));
  if (!unwanted.empty())
    v.raise(status::fail, reason::dns_unexpected_answer,
            name + " " + asked + " includes " + joined(unwanted) + ", which the check excludes");
  if (cfg.answers_exactly) {
    std::set<std::string> wanted;
    for (const auto& w : *cfg.answers_exactly) wanted.insert(comparable(w));
    if (wanted != seen_data)
      v.raise(status::fail, reason::dns_unexpected_answer,
              name + " " + asked + " answers are " + joined(data) + ", expected exactly " + joined(*cfg.answers_exactly));
  }
  if (cfg.max_ms && total_ms > *cfg.max_ms)
    v.raise(status::fail, reason::dns_timeout,
            server + " answered " + name + " " + asked + " in " + ms_text(total_ms) + ", more than max_ms " +
                std::to_string(*cfg.max_ms));
  return v;
}

} // namespace edgeprobe
