#include "probes/rpc_epm/options.hpp"

#include "core/check_values.hpp"

#include <charconv>

namespace edgeprobe {

namespace {

// "1.0" → {1, 0}; "3" → {3, 0}.
std::optional<std::pair<std::uint16_t, std::uint16_t>> parse_version(std::string_view text) {
  std::uint16_t major = 0, minor = 0;
  const auto dot = text.find('.');
  const auto m = text.substr(0, dot);
  if (std::from_chars(m.data(), m.data() + m.size(), major).ec != std::errc{} || m.empty()) return std::nullopt;
  if (dot != std::string_view::npos) {
    const auto n = text.substr(dot + 1);
    const auto [end, ec] = std::from_chars(n.data(), n.data() + n.size(), minor);
    if (ec != std::errc{} || end != n.data() + n.size() || n.empty()) return std::nullopt;
  }
  return std::pair{major, minor};
}

// "49152-65535" → {49152, 65535}.
std::optional<std::pair<std::uint16_t, std::uint16_t>> parse_range(std::string_view text) {
  const auto dash = text.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  unsigned lo = 0, hi = 0;
  const auto a = text.substr(0, dash), b = text.substr(dash + 1);
  if (std::from_chars(a.data(), a.data() + a.size(), lo).ptr != a.data() + a.size() || a.empty()) return std::nullopt;
  if (std::from_chars(b.data(), b.data() + b.size(), hi).ptr != b.data() + b.size() || b.empty()) return std::nullopt;
  if (lo < 1 || hi > 65535 || lo > hi) return std::nullopt;
  return std::pair{static_cast<std::uint16_t>(lo), static_cast<std::uint16_t>(hi)};
}

std::string known_names() {
  std::string out;
  for (const auto& k : dcerpc::known_interfaces()) {
    out += (out.empty() ? "" : ", ") + std::string(k.name);
    if (!k.alias.empty()) out += "/" + std::string(k.alias);
  }
  return out;
}

} // namespace

const probe_options& epm_option_specs() {
  static const probe_options specs{
      .options =
          {
              {"interface", option_kind::string,
               "The RPC interface to look up (ept_map): a UUID, or a known name — samr, lsarpc, netlogon, drsuapi, "
               "srvsvc, winreg, spoolss, emsmdb/mapi, nspi, rfr, … (the list: `edgeprobe probes rpc-epm`, docs/probes/rpc-epm.md)."},
              {"version", option_kind::string,
               "The interface version \"major.minor\" (default: the known interface's, else 1.0)."},
              {"list", option_kind::boolean,
               "Enumerate every registration with ept_lookup (a server may decline; the evidence then says how it ended)."},
              {"connect", option_kind::boolean,
               "TCP connect to the mapped dynamic port afterwards (default true): 135 answering is not the service "
               "being reachable."},
          },
      .expect =
          {
              {"registered", option_kind::boolean,
               "The interface must be registered (default true); false: it must not be (a service that should be off)."},
              {"port", option_kind::integer, "The dynamic port the interface must be mapped to (a pinned port).", {}, 1,
               65535},
              {"port_range", option_kind::string,
               "The range the mapped port must fall in, \"49152-65535\": the dynamic range the firewall opens."},
          },
  };
  return specs;
}

std::shared_ptr<const epm_config> parse_epm_config(const nlohmann::json& check, config_errors& errors) {
  auto cfg = std::make_shared<epm_config>();
  const auto expect = expect_of(check);
  cfg->interface_name = string_at(check, "interface");
  if (!cfg->interface_name.empty()) {
    if (const auto* known = dcerpc::find_interface(cfg->interface_name)) {
      cfg->interface = known->id;
    } else if (const auto id = dcerpc::parse_uuid(cfg->interface_name)) {
      // A UUID of a known interface gets its version; any other, 1.0 unless given.
      const auto* named = dcerpc::find_interface(*id);
      cfg->interface = named ? named->id : dcerpc::syntax_id{*id, 1, 0};
    } else {
      errors.add("/interface", "\"" + cfg->interface_name + "\" is neither a UUID nor a known interface",
                 "use a UUID like \"12345778-1234-abcd-ef00-0123456789ac\" or one of: " + known_names());
    }
  }
  if (check.contains("version")) {
    if (const auto v = parse_version(string_at(check, "version")); v && cfg->interface) {
      cfg->interface->major = v->first;
      cfg->interface->minor = v->second;
    } else if (!v) {
      errors.add("/version", "expected \"major.minor\", e.g. \"1.0\"");
    } else {
      errors.add("/version", "version needs an interface", "add \"interface\"");
    }
  }
  cfg->list = bool_at(check, "list", false);
  cfg->connect = bool_at(check, "connect", true);
  if (!cfg->interface && !cfg->list && cfg->interface_name.empty())
    errors.add("", "give \"interface\" (look one up) or \"list\": true (enumerate)", "add \"interface\": \"samr\"");
  cfg->registered = bool_at(expect, "registered", true);
  if (expect.contains("port") && expect["port"].is_number_integer()) cfg->port = expect["port"].get<std::uint16_t>();
  if (expect.contains("port_range")) {
    cfg->port_range = parse_range(string_at(expect, "port_range"));
    if (!cfg->port_range) errors.add("/expect/port_range", "expected \"LOW-HIGH\", e.g. \"49152-65535\"");
  }
  return cfg;
}

} // namespace edgeprobe
