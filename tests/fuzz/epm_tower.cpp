// libFuzzer entry for protocol towers (C706 appendix L): any bytes must decode
// or fail cleanly. A decoded tower's floors encode back to exactly the bytes
// they came from; a tower with a named protocol rebuilds from its meaning
// (interface, protocol, port, pipe, address) to a tower that means the same;
// and it survives a trip inside an ept_map answer.
#include "probes/rpc_epm/dcerpc.hpp"

#include <algorithm>
#include <cstdlib>

namespace {

using namespace edgeprobe;

void check(bool ok) {
  if (!ok) std::abort();
}

bool same_meaning(const dcerpc::tower& a, const dcerpc::tower& b) {
  return a.interface == b.interface && a.transfer_syntax == b.transfer_syntax && a.protocol == b.protocol &&
         a.port == b.port && a.endpoint == b.endpoint && a.address == b.address;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> input(data, size);
  const auto t = dcerpc::decode_tower(input);
  if (!t) {
    check(!t.error.what.empty() && t.error.offset <= size);
    return 0;
  }
  check(t.value->floors.size() >= 3 && t.value->floors.size() <= dcerpc::max_floors);
  (void)dcerpc::binding_text(*t.value);
  (void)dcerpc::printable(t.value->endpoint);
  (void)dcerpc::printable(t.value->address);
  if (const auto* known = dcerpc::find_interface(t.value->interface.id)) check(known->id.id == t.value->interface.id);

  // The floors are the input (bytes after the last floor are not the tower's).
  const auto floors = dcerpc::encode_floors(t.value->floors);
  check(floors.size() <= size && std::equal(floors.begin(), floors.end(), input.begin()));
  const auto again = dcerpc::decode_tower(floors);
  check(again && again.value->floors == t.value->floors && same_meaning(*again.value, *t.value));

  if (!t.value->protocol.empty()) {
    const auto built = dcerpc::encode_tower(*t.value);
    check(built.has_value());
    const auto rebuilt = dcerpc::decode_tower(*built);
    check(rebuilt && same_meaning(*rebuilt.value, *t.value));
  }

  // Inside an ept_map answer, as the responder sends it.
  dcerpc::ept_map_response answer;
  answer.max_count = 4;
  answer.towers = {*t.value, *t.value};
  const auto stub = dcerpc::encode_ept_map_response(answer);
  check(stub.has_value());
  const auto back = dcerpc::decode_ept_map_response(*stub);
  check(back && back.value->towers.size() == 2 && back.value->towers[1].floors == t.value->floors);
  return 0;
}
