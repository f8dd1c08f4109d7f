#include "core/suite_keys.hpp"

#include "core/duration.hpp"
#include "core/syntax.hpp"

#include <algorithm>

namespace edgeprobe {

const std::vector<suite_key>& top_level_keys() {
  static const std::vector<suite_key> keys = {
      {{"$schema", option_kind::string, "the JSON Schema editors validate this file with"}},
      {{"suite", option_kind::string, "the suite's name: letters, digits, '.', '_' and '-'"}, true},
      {{"description", option_kind::string, "what the suite is for"}},
      {{"vars", option_kind::string_map, "variables for ${name} in any string value"}},
      {{"include", option_kind::string_list, "files whose vars, defaults and checks this suite merges"}},
      {{"defaults", option_kind::string, "options every check gets unless it sets them itself"}},
      {{"checks", option_kind::string, "the checks"}, true},
  };
  return keys;
}

const std::vector<suite_key>& common_check_keys() {
  static const std::vector<suite_key> keys = {
      {{"name", option_kind::string, "the check's name, unique within the suite"}, true},
      {{"probe", option_kind::string, "the probe that runs the check"}, true},
      {{"target", option_kind::string, "what to probe: host:port, [IPv6]:port, a name or a URL, by probe"}, true},
      {{"description", option_kind::string, "what the check is for"}, false, true},
      {{"tags", option_kind::string_list, "labels for --tags"}, false, true},
      {{"needs", option_kind::string_list, "checks that must pass first, else this one is skipped"}},
      {{"timeout", option_kind::duration, "the whole check's deadline, such as \"5s\""}, false, true},
      {{"retries", option_kind::integer, "extra attempts after a failure", {}, 0, max_retries}, false, true},
      {{"addresses", option_kind::choice, "which resolved addresses must pass", {"all", "any", "first"}},
       false, true},
      {{"family", option_kind::choice, "which address family to use", {"any", "ipv4", "ipv6"}}, false, true},
      {{"resolver", option_kind::string, "\"system\", or a DNS server: \"10.0.0.53\", \"10.0.0.53:5353\", "
                                         "\"[fd00::53]:53\""},
       false, true},
      {{"expect", option_kind::string, "what the result must show"}, false, true},
  };
  return keys;
}

const suite_key* find_common_check_key(std::string_view key) {
  const auto& keys = common_check_keys();
  auto it = std::find_if(keys.begin(), keys.end(), [&](const suite_key& k) { return k.spec.key == key; });
  return it == keys.end() ? nullptr : &*it;
}

std::vector<std::string_view> key_names(const std::vector<suite_key>& keys, bool defaults_only) {
  std::vector<std::string_view> out;
  for (const auto& k : keys)
    if (!defaults_only || k.in_defaults) out.push_back(k.spec.key);
  return out;
}

std::vector<option_problem> check_common_key(std::string_view key, nlohmann::json& value, const nlohmann::json& raw) {
  const suite_key* known = find_common_check_key(key);
  if (!known) return {};
  auto problems = check_option(known->spec, value, raw, false);
  if (!problems.empty() || !value.is_string()) return problems;
  const auto& text = value.get_ref<const std::string&>();
  if (key == "name" && text.empty()) {
    problems.push_back({"", "must not be empty", ""});
  } else if (key == "timeout" && parse_duration(text)->count() <= 0) {
    problems.push_back({"", "must be longer than 0, not " + show_value(value, raw), ""});
  } else if (key == "resolver" && !syntax::matches(syntax::resolver(), text)) {
    std::string suggestion = "write \"system\", or a server such as \"10.0.0.53\", \"10.0.0.53:5353\" or \"[fd00::53]:53\"";
    problems.push_back({"", "must be \"system\" or a DNS server's IP address, not " + show_value(value, raw),
                        std::move(suggestion)});
  }
  return problems;
}

} // namespace edgeprobe
