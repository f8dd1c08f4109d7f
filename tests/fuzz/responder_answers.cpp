// libFuzzer entry for the reference responders' answer functions, which read
// what any client on the network sends them. The first byte picks the
// responder: 0 the SQL Browser (one datagram), 1 the SQL PRELOGIN stand-in (one
// packet), 2 the endpoint mapper (a TCP stream cut into PDUs with framed_size,
// one association). Nothing may crash; every answer must decode as what it claims.
#include "probes/rpc_epm/responder.hpp"
#include "probes/sqlbrowser/prelogin_responder.hpp"
#include "probes/sqlbrowser/responder.hpp"

#include <cstdlib>

namespace {

using namespace edgeprobe;

void check(bool ok) {
  if (!ok) std::abort();
}

sqlbrowser_responder_options browser() {
  ssrp::instance i;
  i.server_name = "SQLNODE1";
  i.instance_name = "SALES";
  i.version = "15.0.2000.5";
  i.tcp = 1433;
  sqlbrowser_responder_options o;
  o.instances = {i};
  o.dac_port = 1434;
  return o;
}

epm_responder_options mapper() {
  epm_responder_options o;
  for (std::uint16_t i = 0; i < 3; ++i)
    o.registrations.push_back({dcerpc::find_interface("samr")->id, static_cast<std::uint16_t>(49152 + i), "samr"});
  return o;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::span<const std::uint8_t> input(data + 1, size - 1);
  switch (data[0] % 3) {
    case 0:
      if (const auto answer = sqlbrowser_answer(input, browser()))
        check(!answer->empty() && ((*answer)[0] == 0x05 || ssrp::decode_dac_response(*answer)));
      break;
    case 1:
      if (const auto answer = sql_prelogin_answer(input, {{15, 0, 2000, 0}, "SALES"}))
        check(static_cast<bool>(tds::parse_server_prelogin(*answer)));
      break;
    case 2: {
      epm_association association;
      association.local_address = "127.0.0.1";
      association.local_port = 135;
      const auto options = mapper();
      std::vector<std::uint8_t> stream(input.begin(), input.end());
      while (const auto pdu_size = dcerpc::framed_size(stream)) {
        if (stream.size() < *pdu_size) break;
        const std::vector<std::uint8_t> pdu(stream.begin(), stream.begin() + static_cast<std::ptrdiff_t>(*pdu_size));
        stream.erase(stream.begin(), stream.begin() + static_cast<std::ptrdiff_t>(*pdu_size));
        for (const auto& answer : epm_answer(pdu, association, options)) check(static_cast<bool>(dcerpc::decode_pdu(answer)));
      }
      break;
    }
  }
  return 0;
}
