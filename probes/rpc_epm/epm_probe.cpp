#include "probes/rpc_epm/epm_probe.hpp"

#include "core/deadline.hpp"
#include "net/connect_judge.hpp"
#include "net/endpoint_text.hpp"
#include "net/tcp_connect.hpp"
#include "probes/rpc_epm/dcerpc.hpp"
#include "probes/rpc_epm/options.hpp"
#include "wire/escape_bytes.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <array>

namespace edgeprobe {

namespace {

using tcp = net::ip::tcp;

constexpr int max_lookup_pages = 20; // 20 × 500 entries: more than any server registers

// The largest answer read for one call. The requests ask for at most 500
// towers or entries (max_towers_limit), each well under 512 bytes even with a
// 64-byte annotation; a server sending more is refused as soon as it passes
// this, instead of after the codec's 4 MiB (or never, with endless fragments).
constexpr std::size_t max_answer_stub = 256 * 1024;

// One connection to the endpoint mapper: PDUs out, whole PDUs in.
class epm_connection {
public:
  epm_connection(tcp::socket& socket, clock::time_point deadline) : socket_(socket), deadline_(deadline) {}

  // "" when sent; else why not.
  net::awaitable<std::string> send(const std::vector<std::uint8_t>& pdu) {
    auto sent = co_await until(deadline_, net::async_write(socket_, net::buffer(pdu), net::deferred));
    if (!sent) co_return "the deadline passed while sending";
    const auto ec = std::get<0>(*sent);
    co_return ec ? ec.message() : "";
  }

  // The next PDU's bytes; empty with `why` set when none came whole. Bytes
  // that do not start a DCE/RPC header are returned at once, as they are, for
  // decode_pdu to reject: another service's text would otherwise read as a
  // huge frag_length and leave the probe waiting for the deadline.
  net::awaitable<std::vector<std::uint8_t>> receive(std::string& why) {
    for (;;) {
      if (buffer_.size() >= dcerpc::header_size && !dcerpc::decode_header(buffer_)) co_return std::move(buffer_);
      if (const auto size = dcerpc::framed_size(buffer_); size && buffer_.size() >= *size) {
        std::vector<std::uint8_t> pdu(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(*size));
        buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(*size));
        co_return pdu;
      }
      std::array<std::uint8_t, 4096> chunk;
      auto got = co_await until(deadline_, socket_.async_read_some(net::buffer(chunk), net::deferred));
      if (!got) {
        why = "no answer before the deadline";
        co_return std::vector<std::uint8_t>{};
      }
      const auto [ec, n] = *got;
      if (ec) {
        why = ec == net::error::eof ? "the endpoint mapper closed the connection" : ec.message();
        co_return std::vector<std::uint8_t>{};
      }
      buffer_.insert(buffer_.end(), chunk.begin(), chunk.begin() + static_cast<std::ptrdiff_t>(n));
    }
  }

private:
  tcp::socket& socket_;
  clock::time_point deadline_;
  std::vector<std::uint8_t> buffer_;
};

std::string bytes_text(const std::vector<std::uint8_t>& b) {
  return escape_bytes(std::string_view(reinterpret_cast<const char*>(b.data()), b.size()), 48);
}

class epm_run {
public:
  epm_run(probe_context& ctx, const epm_config& cfg, epm_connection& c, verdict& v, std::string target)
      : ctx_(ctx), cfg_(cfg), c_(c), v_(v), target_(std::move(target)) {}

  net::awaitable<bool> bind() {
    auto phase = ctx_.phases.begin("bind");
    if (auto why = co_await c_.send(dcerpc::build_epm_bind(next_call_++)); !why.empty()) {
      v_.raise(status::fail, reason::epm_malformed, "sending the bind to " + target_ + " failed: " + why);
      co_return false;
    }
    std::string why;
    const auto bytes = co_await c_.receive(why);
    if (bytes.empty()) {
      v_.raise(status::fail, reason::epm_malformed, target_ + " accepted TCP but answered no bind: " + why);
      co_return false;
    }
    const auto pdu = dcerpc::decode_pdu(bytes);
    if (!pdu) {
      v_.raise(status::fail, reason::epm_malformed,
               "the answer from " + target_ + " to the bind is not DCE/RPC (" + pdu.error.what + "; it begins \"" +
                   bytes_text(bytes) + "\"): another service listens on this port");
      co_return false;
    }
    if (const auto* nak = std::get_if<dcerpc::bind_nak_pdu>(&*pdu.value)) {
      v_.details["bind"] = {{"result", "bind_nak"}, {"reason", dcerpc::reject_reason_name(nak->reject_reason)}};
      v_.raise(status::fail, reason::epm_bind_rejected,
               target_ + " refused the bind: " + dcerpc::reject_reason_name(nak->reject_reason));
      co_return false;
    }
    const auto* ack = std::get_if<dcerpc::bind_ack_pdu>(&*pdu.value);
    if (!ack || ack->results.empty()) {
      v_.raise(status::fail, reason::epm_malformed,
               target_ + " answered the bind with " + dcerpc::ptype_name(dcerpc::head_of(*pdu.value).type));
      co_return false;
    }
    v_.details["bind"] = {{"result", dcerpc::context_result_text(ack->results.front())},
                          {"secondary_address", ack->secondary_address},
                          {"max_recv_frag", ack->max_recv_frag}};
    if (ack->results.front().result != dcerpc::bind_result::acceptance) {
      v_.raise(status::fail, reason::epm_bind_rejected,
               target_ + " rejected the endpoint mapper context: " + dcerpc::context_result_text(ack->results.front()));
      co_return false;
    }
    co_return true;
  }

  // One request and its (possibly fragmented) response stub; nullopt after
  // raising. With `fault_status`, a fault is an answer the caller judges: it
  // is stored there and nothing is raised.
  net::awaitable<std::optional<std::vector<std::uint8_t>>> call(std::uint16_t opnum, std::vector<std::uint8_t> stub,
                                                                const std::string& what,
                                                                std::optional<std::uint32_t>* fault_status = nullptr) {
    dcerpc::request_pdu request;
    request.head.type = dcerpc::ptype::request;
    request.head.call_id = next_call_++;
    request.opnum = opnum;
    request.stub = std::move(stub);
    const auto bytes = dcerpc::encode(request);
    if (auto why = co_await c_.send(*bytes); !why.empty()) {
      v_.raise(status::fail, reason::epm_malformed, "sending " + what + " to " + target_ + " failed: " + why);
      co_return std::nullopt;
    }
    std::vector<dcerpc::response_pdu> fragments;
    std::size_t stub_bytes = 0;
    for (;;) {
      std::string why;
      const auto answer = co_await c_.receive(why);
      if (answer.empty()) {
        v_.raise(status::fail, reason::epm_malformed, target_ + " did not answer " + what + ": " + why);
        co_return std::nullopt;
      }
      const auto pdu = dcerpc::decode_pdu(answer);
      if (!pdu) {
        v_.raise(status::fail, reason::epm_malformed,
                 "the answer to " + what + " from " + target_ + " is not DCE/RPC: " + pdu.error.what);
        co_return std::nullopt;
      }
      if (const auto* fault = std::get_if<dcerpc::fault_pdu>(&*pdu.value)) {
        if (fault_status) {
          *fault_status = fault->status;
          co_return std::nullopt;
        }
        v_.raise(status::fail, reason::epm_fault,
                 target_ + " answered " + what + " with a fault: " + dcerpc::status_name(fault->status));
        co_return std::nullopt;
      }
      const auto* response = std::get_if<dcerpc::response_pdu>(&*pdu.value);
      if (!response) {
        v_.raise(status::fail, reason::epm_malformed,
                 target_ + " answered " + what + " with " + dcerpc::ptype_name(dcerpc::head_of(*pdu.value).type));
        co_return std::nullopt;
      }
      stub_bytes += response->stub.size();
      if (stub_bytes > max_answer_stub) {
        v_.raise(status::fail, reason::epm_malformed,
                 "the answer to " + what + " from " + target_ + " grows past " + std::to_string(max_answer_stub / 1024) +
                     " KiB in " + std::to_string(fragments.size() + 1) +
                     " fragments: no answer of at most 500 towers is that large");
        co_return std::nullopt;
      }
      fragments.push_back(*response);
      if (response->head.last()) break;
    }
    auto joined = dcerpc::reassemble(fragments, max_answer_stub);
    if (!joined) {
      v_.raise(status::fail, reason::epm_malformed, "the answer to " + what + " does not reassemble: " + joined.error.what);
      co_return std::nullopt;
    }
    co_return std::move(*joined.value);
  }

  nlohmann::json endpoint_json(const dcerpc::tower& t, const std::string& annotation = {}) const {
    const auto* known = dcerpc::find_interface(t.interface.id);
    nlohmann::json j = {{"interface", dcerpc::to_string(t.interface.id)},
                        {"name", known ? std::string(known->name) : ""},
                        {"version", std::to_string(t.interface.major) + "." + std::to_string(t.interface.minor)},
                        {"protocol", t.protocol},
                        {"binding", dcerpc::printable(dcerpc::binding_text(t))}};
    if (t.port) j["port"] = *t.port;
    if (!t.address.empty()) j["address"] = dcerpc::printable(t.address);
    if (!t.endpoint.empty()) j["endpoint"] = dcerpc::printable(t.endpoint);
    if (!annotation.empty()) j["annotation"] = dcerpc::printable(annotation);
    return j;
  }

  probe_context& ctx_;
  const epm_config& cfg_;
  epm_connection& c_;
  verdict& v_;
  std::string target_;
  std::uint32_t next_call_ = 1;
};

class epm_probe final : public probe {
public:
  std::string_view name() const override { return "rpc-epm"; }
  std::string_view summary() const override {
    return "MS-RPC endpoint mapper on TCP 135: where an interface listens (ept_map), every registration "
           "(ept_lookup), and whether the dynamic port it names is reachable";
  }
  target_rules target() const override { return {target_rules::form::host_port, 135}; }
  const probe_options& options() const override { return epm_option_specs(); }

  std::shared_ptr<const probe_config> configure(const nlohmann::json& check, config_errors& errors) const override {
    return parse_epm_config(check, errors);
  }

  net::awaitable<verdict> run(probe_context& ctx) const override {
    const auto& cfg = ctx.config<epm_config>();
    verdict v;
    const tcp::endpoint remote(*ctx.address, ctx.port);
    const auto target = endpoint_text(remote);
    auto r = co_await connect_and_judge(ctx, remote, connect_settings{}, v, v.details);
    if (!r.connected()) co_return v;

    epm_connection connection(*r.socket, ctx.deadline);
    epm_run run(ctx, cfg, connection, v, target);
    if (!co_await run.bind()) {
      close_connection(*r.socket, true);
      co_return v;
    }
    std::optional<std::uint16_t> mapped_port;
    if (cfg.interface) mapped_port = co_await map_interface(ctx, cfg, run, v, target);
    if (cfg.list && v.state != status::fail) co_await list_all(ctx, run, v);
    close_connection(*r.socket, false);
    if (mapped_port && cfg.connect && v.state != status::fail) co_await connect_dynamic(ctx, *mapped_port, v, target);
    co_return v;
  }

private:
  static net::awaitable<std::optional<std::uint16_t>> map_interface(probe_context& ctx, const epm_config& cfg,
                                                                    epm_run& run, verdict& v, const std::string& target) {
    std::optional<std::vector<std::uint8_t>> stub;
    {
      auto phase = ctx.phases.begin("ept_map");
      stub = co_await run.call(dcerpc::opnum::ept_map, dcerpc::ept_map_query(*cfg.interface, 4), "ept_map");
    }
    if (!stub) co_return std::nullopt;
    const auto answer = dcerpc::decode_ept_map_response(*stub);
    if (!answer) {
      v.raise(status::fail, reason::epm_malformed, "the ept_map answer from " + target + " does not decode: " + answer.error.what);
      co_return std::nullopt;
    }
    const auto* known = dcerpc::find_interface(cfg.interface->id);
    const std::string what = cfg.interface_name + (known && cfg.interface_name != known->name ? " (" + std::string(known->name) + ")" : "") +
                             " " + dcerpc::to_string(*cfg.interface);
    nlohmann::json endpoints = nlohmann::json::array();
    const dcerpc::tower* tcp_tower = nullptr;
    for (const auto& t : answer.value->towers) {
      endpoints.push_back(run.endpoint_json(t));
      if (!tcp_tower && t.protocol == "ncacn_ip_tcp" && t.port) tcp_tower = &t;
    }
    v.details["endpoints"] = endpoints;
    v.details["ept_map_status"] = dcerpc::status_name(answer.value->status);
    const bool registered = answer.value->status == 0 && !answer.value->towers.empty();
    v.details["registered"] = registered;
    if (!registered) {
      if (cfg.registered)
        v.raise(status::fail, reason::epm_not_registered,
                target + " has no registration for " + what + " (" + dcerpc::status_name(answer.value->status) +
                    "): the service that provides it is not running there");
      else
        v.raise(status::pass, reason::epm_not_registered, "not registered, as expected: " + what);
      co_return std::nullopt;
    }
    if (!cfg.registered) {
      v.raise(status::fail, reason::epm_not_registered,
              what + " is registered at " + target + " although the check expects it not to be");
      co_return std::nullopt;
    }
    if (!tcp_tower) {
      v.message = what + " is registered at " + target + ", but not over TCP (ncacn_ip_tcp)";
      co_return std::nullopt;
    }
    const auto port = *tcp_tower->port;
    v.details["port"] = port;
    boost::system::error_code ec;
    const auto tower_address = net::ip::make_address(tcp_tower->address, ec);
    // Towers carry IPv4 only: asked over IPv6, there is nothing to compare.
    if (!ec && ctx.address->is_v4() && !tower_address.is_unspecified() && tower_address != *ctx.address)
      v.raise(status::warn, reason::epm_address_mismatch,
              target + " maps " + what + " to " + tcp_tower->address + ":" + std::to_string(port) + ", not to " +
                  ctx.address->to_string() + " where the question went: a NAT or load balancer sits in front, and "
                  "clients that use the mapped address bypass it or cannot reach it");
    if (cfg.port && port != *cfg.port)
      v.raise(status::fail, reason::epm_port_mismatch,
              what + " is mapped to port " + std::to_string(port) + ", not to the expected " + std::to_string(*cfg.port));
    if (cfg.port_range && (port < cfg.port_range->first || port > cfg.port_range->second))
      v.raise(status::fail, reason::epm_port_mismatch,
              what + " is mapped to port " + std::to_string(port) + ", outside " + std::to_string(cfg.port_range->first) +
                  "-" + std::to_string(cfg.port_range->second) + " that the firewall opens");
    // A warning (the tower's address) still says where the interface is.
    const auto found = what + " is registered at " + target + " on port " + std::to_string(port);
    if (v.passed()) v.message = found;
    else if (v.state == status::warn) v.message += ". " + found;
    co_return port;
  }

  static net::awaitable<void> list_all(probe_context& ctx, epm_run& run, verdict& v) {
    auto phase = ctx.phases.begin("ept_lookup");
    nlohmann::json entries = nlohmann::json::array();
    dcerpc::ept_lookup_request request;
    std::string ended = "not answered";
    for (int page = 0; page < max_lookup_pages; ++page) {
      // A server that does not enumerate may fault (op_rng_error, access_denied):
      // that ends the list, it does not fail the check.
      std::optional<std::uint32_t> fault;
      const auto stub =
          co_await run.call(dcerpc::opnum::ept_lookup, dcerpc::encode_ept_lookup_request(request), "ept_lookup", &fault);
      if (fault) {
        ended = "fault " + dcerpc::status_name(*fault);
        break;
      }
      if (!stub) co_return;
      const auto answer = dcerpc::decode_ept_lookup_response(*stub);
      if (!answer) {
        v.raise(status::fail, reason::epm_malformed, "an ept_lookup answer does not decode: " + answer.error.what);
        co_return;
      }
      for (const auto& e : answer.value->entries)
        if (e.endpoint) entries.push_back(run.endpoint_json(*e.endpoint, e.annotation));
      ended = dcerpc::status_name(answer.value->status);
      if (answer.value->status != 0 || dcerpc::is_null(answer.value->entry_handle)) break;
      request.entry_handle = answer.value->entry_handle;
    }
    v.details["registrations"] = entries;
    v.details["lookup_status"] = ended;
    if (v.passed()) {
      // After an ept_map the message is about that interface; the list adds to it.
      const auto listed = std::to_string(entries.size()) + " registrations listed" +
                          (entries.empty() ? " (the endpoint mapper does not enumerate: " + ended + ")" : "");
      v.message = v.details.contains("endpoints") ? v.message + "; " + listed : listed;
    }
  }

  static net::awaitable<void> connect_dynamic(probe_context& ctx, std::uint16_t port, verdict& v, const std::string& target) {
    const tcp::endpoint dynamic(*ctx.address, port);
    connect_report r;
    {
      auto phase = ctx.phases.begin("connect_dynamic");
      r = co_await connect_with_diagnostics(ctx.executor, dynamic, {std::nullopt, 0, ctx.deadline});
    }
    v.details["dynamic_connection"] = r.details();
    if (r.connected()) {
      close_connection(*r.socket, true);
      if (v.passed() || v.state == status::warn) v.message += ", and that port accepts connections";
      co_return;
    }
    v.raise(status::fail, reason::epm_dynamic_port_unreachable,
            target + " answers, but the dynamic port it named, " + endpoint_text(dynamic) + ", does not: " + r.message +
                (r.why != reason::none ? " (" + std::string(code(r.why)) + ")" : "") +
                ". Firewalls must open the RPC dynamic range (Windows: 49152-65535) or the service's pinned port, "
                "not only 135");
  }
};

} // namespace

std::unique_ptr<probe> make_epm_probe() { return std::make_unique<epm_probe>(); }

} // namespace edgeprobe
