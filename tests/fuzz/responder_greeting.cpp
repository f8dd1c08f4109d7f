// libFuzzer entry for the responder greeting parser: any bytes (a hostile or
// confused peer) must parse or be refused cleanly, and whatever parses must
// format back to a line that parses to the same greeting.
#include "net/responder_greeting.hpp"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace edgeprobe;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const auto greeting = parse_greeting(bytes);
  if (!greeting) return 0;
  const auto again = parse_greeting(format_greeting(*greeting));
  if (!again || again->responder != greeting->responder || again->you_address != greeting->you_address ||
      again->you_port != greeting->you_port || again->me_address != greeting->me_address ||
      again->me_port != greeting->me_port)
    std::abort();
  (void)compare_greeting(*greeting, boost::asio::ip::make_address("127.0.0.1"), 1);
  return 0;
}
