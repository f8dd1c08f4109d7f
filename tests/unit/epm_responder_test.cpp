// epm_answer, the endpoint-mapper responder's pure core, on impacket's own
// request bytes: the bind it accepts and the one it refuses, ept_map for a
// registered and an unregistered interface, and requests out of order.
#include "probes/rpc_epm/responder.hpp"
#include "support/corpus_file.hpp"

#include <doctest/doctest.h>

using namespace edgeprobe;

namespace {

std::vector<std::uint8_t> captured(const std::string& name) {
  const auto text = test::corpus_bytes("dcerpc_pdu", name);
  REQUIRE_FALSE(text.empty());
  return {text.begin(), text.end()};
}

epm_responder_options samr_at_49153() {
  return {{{dcerpc::find_interface("samr")->id, 49153, "samr"}}, ""};
}

dcerpc::pdu only_answer(const std::vector<std::vector<std::uint8_t>>& answers) {
  REQUIRE(answers.size() == 1);
  const auto decoded = dcerpc::decode_pdu(answers.front());
  REQUIRE(decoded);
  return *decoded.value;
}

} // namespace

TEST_SUITE("epm") {

TEST_CASE("epm_answer: impacket's bind is accepted, its ept_map for samr gets a tcp tower with the port and address") {
  epm_association a{"10.0.0.5", 135};
  const auto ack = std::get<dcerpc::bind_ack_pdu>(only_answer(epm_answer(captured("impacket_bind_epm.bin"), a, samr_at_49153())));
  CHECK(ack.results.at(0).result == dcerpc::bind_result::acceptance);
  CHECK(ack.secondary_address == "135");
  CHECK(a.bound);

  const auto response =
      std::get<dcerpc::response_pdu>(only_answer(epm_answer(captured("impacket_ept_map_samr_request.bin"), a, samr_at_49153())));
  const auto map = dcerpc::decode_ept_map_response(response.stub);
  REQUIRE(map);
  CHECK(map.value->status == 0);
  REQUIRE(map.value->towers.size() == 1);
  CHECK(map.value->towers[0].port == 49153);
  CHECK(map.value->towers[0].address == "10.0.0.5");

  // winreg is not registered here: EPT_S_NOT_REGISTERED, no towers.
  const auto winreg =
      std::get<dcerpc::response_pdu>(only_answer(epm_answer(captured("impacket_ept_map_winreg_request.bin"), a, samr_at_49153())));
  const auto none = dcerpc::decode_ept_map_response(winreg.stub);
  REQUIRE(none);
  CHECK(none.value->status == dcerpc::status::ept_not_registered);
  CHECK(none.value->towers.empty());
}

TEST_CASE("epm_answer: a request before any bind is a fault, a bind to another interface is refused, noise is ignored") {
  epm_association fresh{"127.0.0.1", 135};
  const auto early = only_answer(epm_answer(captured("impacket_ept_map_samr_request.bin"), fresh, samr_at_49153()));
  CHECK(std::get<dcerpc::fault_pdu>(early).status == dcerpc::status::context_mismatch);

  dcerpc::bind_pdu samr_bind;
  samr_bind.head.type = dcerpc::ptype::bind;
  samr_bind.contexts.push_back({0, dcerpc::find_interface("samr")->id, {dcerpc::ndr_syntax}});
  const auto refused = std::get<dcerpc::bind_ack_pdu>(only_answer(epm_answer(*dcerpc::encode(samr_bind), fresh, samr_at_49153())));
  CHECK(refused.results.at(0).result == dcerpc::bind_result::provider_rejection);
  CHECK(refused.results.at(0).reason == dcerpc::provider_reason::abstract_syntax_not_supported);
  CHECK_FALSE(fresh.bound);

  const std::vector<std::uint8_t> text = {'G', 'E', 'T', ' ', '/', ' ', 'H', 'T', 'T', 'P', '/', '1', '.', '1', '\r', '\n'};
  CHECK(epm_answer(text, fresh, samr_at_49153()).empty());
}

} // TEST_SUITE
