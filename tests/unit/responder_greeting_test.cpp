#include "net/responder_greeting.hpp"

#include <doctest/doctest.h>

using namespace edgeprobe;

TEST_CASE("a greeting survives a round trip, IPv4 and IPv6") {
  responder_greeting g{"tcp", "198.51.100.7", 50123, "2001:db8::5", 443};
  const std::string line = format_greeting(g);
  CHECK(line == "EDGEPROBE-RESPONDER/1 probe=tcp you=198.51.100.7:50123 me=[2001:db8::5]:443\r\n");
  auto parsed = parse_greeting(line + "echoed bytes");
  REQUIRE(parsed);
  CHECK(parsed->responder == "tcp");
  CHECK(parsed->you_address == "198.51.100.7");
  CHECK(parsed->you_port == 50123);
  CHECK(parsed->me_address == "2001:db8::5");
  CHECK(parsed->me_port == 443);
}

TEST_CASE("anything else is not a greeting") {
  for (const char* bad : {"", "HTTP/1.1 200 OK\r\n", "EDGEPROBE-RESPONDER/1 probe=tcp you=1.2.3.4:5\r\n",
                          "EDGEPROBE-RESPONDER/1 probe=tcp you=1.2.3.4:70000 me=1.2.3.4:1\r\n",
                          "EDGEPROBE-RESPONDER/1 probe=tcp you=1.2.3.4:5 me=1.2.3.4:1", // no CRLF
                          "EDGEPROBE-RESPONDER/1 probe= you=1.2.3.4:5 me=1.2.3.4:1\r\n",
                          "EDGEPROBE-RESPONDER/1 probe=tcp you=[::1:5 me=1.2.3.4:1\r\n"})
    CHECK_MESSAGE(!parse_greeting(bad), bad);
}
