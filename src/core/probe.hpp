// The probe interface: a probe speaks one protocol and fills in evidence. The
// runner owns everything probes share (deadline, retries, timing, resolution and
// fan-out over addresses, needs, concurrency) — blackbox_exporter's prober shape.
#pragma once
#include "core/check.hpp"
#include "core/clock.hpp"
#include "core/option_spec.hpp"
#include "core/phase_log.hpp"
#include "core/result.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/address.hpp>

#include <nlohmann/json.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace edgeprobe {

namespace net = boost::asio;

class resolver;

// How the loader splits a check's `target` for this probe.
struct target_rules {
  enum class form { host_port, name, url } shape = form::host_port;
  std::uint16_t default_port = 0; // host_port: 0 means the port is required
};

// Semantic errors a probe finds while building its configuration. `pointer` is
// relative to the check ("/expect/min_mss"); the loader prefixes the check's own.
class config_errors {
public:
  virtual ~config_errors() = default;
  virtual void add(std::string pointer, std::string message, std::string suggestion = {}) = 0;
};

// Everything a probe gets for one run against one address.
struct probe_context {
  net::any_io_executor executor;
  const check_spec& check;
  std::optional<net::ip::address> address; // set for per-address probes
  std::uint16_t port = 0;                  // the target's port
  clock::time_point deadline;              // the check's deadline: pass it to until()
  phase_log& phases;
  edgeprobe::resolver& resolver;           // the check's resolver

  template <class Config> const Config& config() const {
    return static_cast<const Config&>(*check.config);
  }
};

class probe {
public:
  virtual ~probe() = default;

  virtual std::string_view name() const = 0;
  virtual std::string_view summary() const = 0; // one line for `edgeprobe probes`
  virtual target_rules target() const = 0;
  virtual const probe_options& options() const = 0;

  // True (default): the runner resolves the target and calls run() once per
  // address. False: run() is called once with no address (the dns probe).
  virtual bool per_address() const { return true; }

  // Builds the typed configuration from `check` (the whole check object, already
  // checked against options(): keys known, types right). Adds what is still wrong.
  virtual std::shared_ptr<const probe_config> configure(const nlohmann::json& check,
                                                        config_errors& errors) const = 0;

  // One attempt. Network failures are verdicts, not exceptions.
  virtual net::awaitable<verdict> run(probe_context& ctx) const = 0;
};

} // namespace edgeprobe
