// A TCP connect's evidence as a struct (core/evidence_part.hpp): the members
// connect_report::details() names, and how the connection was closed. The tcp
// probe keeps it in its verdict; the JSON report writes it without building
// JSON objects, and every other reader gets the same members as JSON.
#pragma once
#include "core/evidence_part.hpp"
#include "net/tcp_connect.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace edgeprobe {

class connect_evidence final : public evidence_part {
public:
  // `close`: "fin" or "rst" when the connection was closed after the handshake.
  connect_evidence(const connect_report& r, std::optional<std::string_view> close);

  void add_to(nlohmann::json& details) const override;
  void write(json_stream& out, const std::function<void(std::string_view key)>& before) const override;

private:
  // Every member in key order, as out(key, value); add_to and write both walk it.
  template <class Out> void members(Out&& out) const;

  std::optional<std::string_view> close_;
  double connect_ms_ = 0;
  nlohmann::json error_; // null unless the connect failed (rare: kept as JSON)
  std::optional<double> handshake_ms_;
  std::string local_address_;
  std::uint16_t local_port_ = 0;
  std::string remote_;
  int syns_sent_ = 0;
  std::optional<tcp_info_snapshot> info_;
};

} // namespace edgeprobe
