#include "probes/dns/options.hpp"

#include "core/check_values.hpp"
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

// The loader has checked every key's type and range against the specs above;
// what is left here is how the keys combine.
std::shared_ptr<const dns_config> parse_dns_config(const nlohmann::json& check, config_errors& errors) {
  auto cfg = std::make_shared<dns_config>();
  const auto expect = expect_of(check);
  auto strings = [](const nlohmann::json& list) { return list.get<std::vector<std::string>>(); };
  if (check.contains("type")) cfg->type = dns::type_from_name(string_at(check, "type"));
  cfg->tcp = string_at(check, "transport") == "tcp";
  cfg->recursion = bool_at(check, "recursion", cfg->recursion);

  if (expect.contains("rcode")) cfg->rcode = *dns::rcode_from_name(string_at(expect, "rcode"));
  if (expect.contains("min_answers")) cfg->min_answers = expect["min_answers"].get<int>();
  if (expect.contains("max_ms")) cfg->max_ms = expect["max_ms"].get<int>();
  if (expect.contains("answers_include")) cfg->answers_include = strings(expect["answers_include"]);
  if (expect.contains("answers_exclude")) cfg->answers_exclude = strings(expect["answers_exclude"]);
  if (expect.contains("answers_exactly")) cfg->answers_exactly = strings(expect["answers_exactly"]);
  if (cfg->rcode != dns::rcode::noerror &&
      (cfg->min_answers.value_or(0) > 0 || !cfg->answers_include.empty() || cfg->answers_exactly))
    errors.add("/expect/rcode", "an answer with rcode " + dns::rcode_name(cfg->rcode) +
                                    " has no answers, so min_answers, answers_include and answers_exactly cannot hold");
  return cfg;
}

} // namespace edgeprobe
