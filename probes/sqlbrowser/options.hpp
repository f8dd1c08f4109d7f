// The sqlbrowser probe's options and expectations: their spec (for the loader,
// `edgeprobe probes sqlbrowser` and the schema) and the typed configuration.
#pragma once
#include "core/probe.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace edgeprobe {

struct sqlbrowser_config final : probe_config {
  std::string instance;        // "": list every instance (CLNT_UCAST_EX)
  bool dac = false;            // also ask for the instance's DAC port
  bool connect = true;         // TCP connect to the instance's port
  bool prelogin = false;       // send a TDS PRELOGIN there and report the server version
  std::vector<std::string> instances_include;
  std::optional<std::uint16_t> tcp_port;
  std::string version_prefix;
};

const probe_options& sqlbrowser_option_specs();

std::shared_ptr<const sqlbrowser_config> parse_sqlbrowser_config(const nlohmann::json& check, config_errors& errors);

} // namespace edgeprobe
