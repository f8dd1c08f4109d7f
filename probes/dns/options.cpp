#include "probes/dns/options.hpp"

#include "wire/dns/codec.hpp"

namespace edgeprobe {

const probe_options& dns_option_specs() {
  static const probe_options specs{
      .options =
          {
              {"type", option_kind::choice,
               "The record type to ask for. Unset: A and AAAA (only one of them with `family`), and the check "
               "fails with dns.no_address when the name has neither.",
               {"A", "AAAA", "CNAME", "SRV", "MX", "TXT", "NS", "PTR", "CAA"}},
              {"transport", option_kind::choice, "udp (default; falls back to tcp for truncated answers) or tcp only.",
               {"udp", "tcp"}},
              {"recursion", option_kind::boolean,
               "Ask for recursion (default true). false sends RD=0: an authoritative server answers from its own "
               "zones only, which shows what it publishes."},
          },
      .expect =
          {
              {"rcode", option_kind::choice,
               "The response code the answer must carry (default NOERROR); NXDOMAIN checks that a name does NOT "
               "exist (e.g. an internal name from outside).",
               {"NOERROR", "NXDOMAIN", "SERVFAIL", "REFUSED"}},
              {"min_answers", option_kind::integer,
               "At least this many answers of the asked type (default 1; 0 accepts an empty answer).", {}, 0, 1000},
              {"answers_include", option_kind::string_list,
               "Each of these must be among the answers' data (\"192.0.2.10\", \"10 5 5061 sip.contoso.com\"); "
               "names compare without case and trailing dot."},
              {"answers_exclude", option_kind::string_list, "None of these may be among the answers' data."},
              {"answers_exactly", option_kind::string_list,
               "The answers' data must be exactly this set (order ignored)."},
              {"max_ms", option_kind::integer, "Fail with dns.timeout when the answer takes longer than this.", {}, 1,
               600000},
          },
  };
  return specs;
}

namespace {

std::optional<std::vector<std::string>> string_list(const nlohmann::json& value) {
  if (!value.is_array()) return std::nullopt;
  std::vector<std::string> out;
  for (const auto& item : value) {
    if (!item.is_string()) return std::nullopt;
    out.push_back(item.get<std::string>());
  }
  return out;
}

std::optional<int> integer_in(const nlohmann::json& value, int low, int high) {
  if (!value.is_number_integer()) return std::nullopt;
  const auto n = value.get<std::int64_t>();
  if (n < low || n > high) return std::nullopt;
  return static_cast<int>(n);
}

} // namespace

std::shared_ptr<const dns_config> parse_dns_config(const nlohmann::json& check, config_errors& errors) {
  auto cfg = std::make_shared<dns_config>();
  const auto expect = check.contains("expect") && check["expect"].is_object() ? check["expect"]
                                                                                : nlohmann::json::object();
  if (check.contains("type")) {
    const auto& t = check["type"];
    cfg->type = t.is_string() ? dns::type_from_name(t.get<std::string>()) : std::nullopt;
    if (!cfg->type || *cfg->type == dns::type::soa || *cfg->type == dns::type::opt)
      errors.add("/type", "expected one of A, AAAA, CNAME, SRV, MX, TXT, NS, PTR, CAA");
  }
  if (check.contains("transport")) {
    const auto& t = check["transport"];
    if (t == "tcp") cfg->tcp = true;
    else if (t != "udp") errors.add("/transport", "expected \"udp\" or \"tcp\"");
  }
  if (check.contains("recursion")) {
    if (check["recursion"].is_boolean()) cfg->recursion = check["recursion"].get<bool>();
    else errors.add("/recursion", "expected true or false");
  }

  if (expect.contains("rcode")) {
    const auto rc = expect["rcode"].is_string() ? dns::rcode_from_name(expect["rcode"].get<std::string>()) : std::nullopt;
    if (rc) cfg->rcode = *rc;
    else errors.add("/expect/rcode", "expected one of NOERROR, NXDOMAIN, SERVFAIL, REFUSED");
  }
  if (expect.contains("min_answers")) {
    cfg->min_answers = integer_in(expect["min_answers"], 0, 1000);
    if (!cfg->min_answers) errors.add("/expect/min_answers", "expected a whole number from 0 to 1000");
  }
  if (expect.contains("max_ms")) {
    cfg->max_ms = integer_in(expect["max_ms"], 1, 600000);
    if (!cfg->max_ms) errors.add("/expect/max_ms", "expected a whole number of milliseconds from 1 to 600000");
  }
  for (auto [key, target] : {std::pair{"answers_include", &cfg->answers_include},
                             std::pair{"answers_exclude", &cfg->answers_exclude}}) {
    if (!expect.contains(key)) continue;
    if (auto list = string_list(expect[key])) *target = std::move(*list);
    else errors.add(std::string("/expect/") + key, "expected a list of strings");
  }
  if (expect.contains("answers_exactly")) {
    cfg->answers_exactly = string_list(expect["answers_exactly"]);
    if (!cfg->answers_exactly) errors.add("/expect/answers_exactly", "expected a list of strings");
  }
  if (cfg->rcode != dns::rcode::noerror &&
      (cfg->min_answers.value_or(0) > 0 || !cfg->answers_include.empty() || cfg->answers_exactly))
    errors.add("/expect/rcode", "an answer with rcode " + dns::rcode_name(cfg->rcode) +
                                    " has no answers, so min_answers, answers_include and answers_exactly cannot hold");
  return cfg;
}

} // namespace edgeprobe
