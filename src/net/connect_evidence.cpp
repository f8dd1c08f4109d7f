#include "net/connect_evidence.hpp"

#include "core/json_stream.hpp"
#include "net/icmp_errors.hpp"

#include <type_traits>

namespace edgeprobe {

namespace {

nlohmann::json error_json(const connect_report& r) {
  if (!r.error) return nullptr;
  nlohmann::json e = {{"errno", errno_name(r.error)},
                      {"text", r.error.message()},
                      {"stage", r.failed_at == connect_report::stage::open   ? "open"
                                : r.failed_at == connect_report::stage::bind ? "bind"
                                                                             : "connect"}};
  if (r.timed_out) {
    e["errno"] = nullptr; // our deadline, not the kernel's verdict
    e["text"] = "the check's deadline passed while connecting";
  }
  if (r.icmp) e["icmp"] = to_json(*r.icmp);
  return e;
}

// One value of members() as JSON text.
void write_value(json_stream& out, const auto& value) {
  using T = std::decay_t<decltype(value)>;
  if constexpr (requires { value.has_value(); }) {
    if (value)
      write_value(out, *value);
    else
      out.null();
  } else if constexpr (std::is_same_v<T, bool>) {
    out.boolean(value);
  } else if constexpr (std::is_floating_point_v<T>) {
    out.value(value);
  } else if constexpr (std::is_integral_v<T> && std::is_unsigned_v<T>) {
    out.value(static_cast<unsigned long long>(value));
  } else if constexpr (std::is_integral_v<T>) {
    out.value(static_cast<long long>(value));
  } else if constexpr (std::is_same_v<T, tcp_info_snapshot>) {
    out.open_object();
    tcp_info_members(value, [&](std::string_view key, const auto& member) {
      out.key(key);
      write_value(out, member);
    });
    out.close_object();
  } else if constexpr (std::is_same_v<T, nlohmann::json>) {
    out.value(value);
  } else {
    out.value(std::string_view(value));
  }
}

} // namespace

connect_evidence::connect_evidence(const connect_report& r, std::optional<std::string_view> close)
    : close_(close),
      connect_ms_(r.connect_ms),
      error_(error_json(r)),
      handshake_ms_(r.handshake_ms),
      local_address_(r.local.address().to_string()),
      local_port_(r.local.port()),
      remote_(endpoint_text(r.remote)),
      syns_sent_(r.syns_sent),
      info_(r.info) {}

template <class Out> void connect_evidence::members(Out&& out) const {
  if (close_) out("close", *close_);
  out("connect_ms", connect_ms_);
  if (!error_.is_null()) out("error", error_);
  if (handshake_ms_) out("handshake_ms", *handshake_ms_);
  out("local_address", local_address_);
  out("local_port", local_port_);
  out("remote", remote_);
  out("syns_sent", syns_sent_);
  if (info_) out("tcp_info", *info_);
}

void connect_evidence::add_to(nlohmann::json& details) const {
  members([&](const char* key, const auto& value) {
    using T = std::decay_t<decltype(value)>;
    if constexpr (std::is_same_v<T, tcp_info_snapshot>)
      details[key] = to_json(value);
    else if constexpr (std::is_same_v<T, std::string_view>)
      details[key] = std::string(value);
    else
      details[key] = value;
  });
}

void connect_evidence::write(json_stream& out, const std::function<void(std::string_view key)>& before) const {
  members([&](std::string_view key, const auto& value) {
    before(key);
    out.key(key);
    write_value(out, value);
  });
}

} // namespace edgeprobe
