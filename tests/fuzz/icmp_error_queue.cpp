// libFuzzer entry for the IP_RECVERR/IPV6_RECVERR control-message decoder: the
// ICMP error fields come from whichever router sent them. Input layout: a
// two-byte big-endian length, that many bytes of control data, then the
// offender's sockaddr (msg_name).
#include "net/icmp_errors.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace edgeprobe;
  if (size < 2) return 0;
  const std::size_t control_size = std::min<std::size_t>((std::size_t{data[0]} << 8) | data[1], size - 2);
  const std::span<const std::uint8_t> control(data + 2, control_size);
  const std::span<const std::uint8_t> name(data + 2 + control_size, size - 2 - control_size);
  for (const auto& e : decode_error_queue(control, name)) {
    (void)describe(e);
    (void)icmp_reason(e);
  }
  return 0;
}
