// libFuzzer entry for the SSRP codec: any datagram must decode or fail cleanly
// as a request, as an answer to each kind of request and as a DAC answer, and
// whatever decodes must build and decode again to the same requests, records
// and port (requests and DAC answers to the very same bytes).
#include "probes/sqlbrowser/ssrp.hpp"

#include <cstdlib>
#include <vector>

namespace {

void check(std::span<const std::uint8_t> bytes) {
  using namespace edgeprobe;
  const std::vector<std::uint8_t> original(bytes.begin(), bytes.end());

  if (const auto request = ssrp::decode_request(bytes)) {
    std::optional<std::vector<std::uint8_t>> again;
    switch (request.value->kind) {
    case ssrp::request_kind::bcast_ex:
      again = ssrp::build_bcast_ex();
      break;
    case ssrp::request_kind::ucast_ex:
      again = ssrp::build_ucast_ex();
      break;
    case ssrp::request_kind::ucast_inst:
      again = ssrp::build_ucast_inst(request.value->instance);
      break;
    case ssrp::request_kind::ucast_dac:
      again = ssrp::build_ucast_dac(request.value->instance);
      break;
    }
    // The decoder accepts exactly the names the builders accept, so requests are canonical.
    if (!again || *again != original) std::abort();
  }

  for (const auto kind : {ssrp::request_kind::bcast_ex, ssrp::request_kind::ucast_ex, ssrp::request_kind::ucast_inst}) {
    const auto decoded = ssrp::decode_response(bytes, kind);
    if (!decoded) continue;
    // Re-encoding canonicalises case ("yes" -> "Yes"), leading zeros of the tcp
    // port and the order of protocol tokens; none of that may change a record.
    const auto wire = ssrp::build_response(*decoded.value, kind);
    if (!wire || wire->size() > original.size()) std::abort();
    const auto again = ssrp::decode_response(*wire, kind);
    if (!again || *again.value != *decoded.value) std::abort();
  }

  if (const auto dac = ssrp::decode_dac_response(bytes))
    if (ssrp::build_dac_response(*dac.value) != original) std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  check(std::span(data, size));
  // A mutated answer rarely keeps RESP_SIZE right; check it once more with the
  // size made to fit, so the record parser sees the mutations too.
  if (size >= 3 && size - 3 <= 0xFFFF && data[0] == 0x05) {
    std::vector<std::uint8_t> fixed(data, data + size);
    fixed[1] = static_cast<std::uint8_t>((size - 3) & 0xFF);
    fixed[2] = static_cast<std::uint8_t>((size - 3) >> 8);
    check(fixed);
  }
  return 0;
}
