#include "probes/sqlbrowser/options.hpp"

#include "core/check_values.hpp"

#include <algorithm>

namespace edgeprobe {

const probe_options& sqlbrowser_option_specs() {
  static const probe_options specs{
      .options =
          {
              {"instance", option_kind::string,
               "The named instance to look up (CLNT_UCAST_INST), e.g. \"SQLEXPRESS\"; absent: list every instance "
               "(CLNT_UCAST_EX)."},
              {"dac", option_kind::boolean, "Also ask for the instance's dedicated admin connection port (needs instance)."},
              {"connect", option_kind::boolean,
               "TCP connect to the instance's port afterwards (default true): the Browser saying where is not the "
               "instance being reachable there."},
              {"prelogin", option_kind::boolean,
               "On that connection, send a TDS PRELOGIN and report the server's version (default false)."},
          },
      .expect =
          {
              {"instances_include", option_kind::string_list, "Instance names the Browser must list (case-insensitive)."},
              {"tcp_port", option_kind::integer,
               "The TCP port the instance must listen on: catches a dynamic port that moved after a restart.", {}, 1,
               65535},
              {"version_prefix", option_kind::string,
               "The start of the version the Browser (or PRELOGIN) reports, e.g. \"15.0\" for SQL Server 2019."},
          },
  };
  return specs;
}

std::shared_ptr<const sqlbrowser_config> parse_sqlbrowser_config(const nlohmann::json& check, config_errors& errors) {
  auto cfg = std::make_shared<sqlbrowser_config>();
  const auto expect = expect_of(check);
  cfg->instance = string_at(check, "instance");
  // [MC-SQLR] 2.2.4: an instance name is at most 32 bytes; it travels NUL-terminated.
  if (check.contains("instance") &&
      (cfg->instance.empty() || cfg->instance.size() > 32 || cfg->instance.find('\0') != std::string::npos))
    errors.add("/instance", "an instance name is 1 to 32 bytes", "use the part after the backslash: HOST\\NAME → \"NAME\"");
  cfg->dac = bool_at(check, "dac", false);
  if (cfg->dac && cfg->instance.empty()) errors.add("/dac", "dac needs an instance", "add \"instance\"");
  cfg->connect = bool_at(check, "connect", true);
  cfg->prelogin = bool_at(check, "prelogin", false);
  if (cfg->prelogin && !cfg->connect) errors.add("/prelogin", "prelogin needs connect", "drop \"connect\": false");
  if (expect.contains("instances_include"))
    for (const auto& n : expect["instances_include"]) cfg->instances_include.push_back(n.get<std::string>());
  if (expect.contains("tcp_port") && expect["tcp_port"].is_number_integer())
    cfg->tcp_port = expect["tcp_port"].get<std::uint16_t>();
  cfg->version_prefix = string_at(expect, "version_prefix");
  return cfg;
}

} // namespace edgeprobe
