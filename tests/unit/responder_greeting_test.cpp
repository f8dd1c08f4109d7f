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

TEST_CASE("addresses must be IP literals, IPv6 and only IPv6 in brackets (a fuzzing find)") {
  // libFuzzer's input: "[[0]" came back from endpoint_text as "[0", which did not parse again.
  CHECK_FALSE(parse_greeting("EDGEPROBE-RESPONDER/1 probe=udp you=[[0]:48715 me=127.0.0.1:4\r\n"));
  CHECK_FALSE(parse_greeting("EDGEPROBE-RESPONDER/1 probe=udp you=[127.0.0.1]:5 me=127.0.0.1:4\r\n"));
  CHECK_FALSE(parse_greeting("EDGEPROBE-RESPONDER/1 probe=udp you=::1:5 me=127.0.0.1:4\r\n"));
  CHECK_FALSE(parse_greeting("EDGEPROBE-RESPONDER/1 probe=udp you=host.test:5 me=127.0.0.1:4\r\n"));
  CHECK_FALSE(parse_greeting(std::string_view("EDGEPROBE-RESPONDER/1 probe=udp you=1.2.3.4:5 me=\xba\0\0]:4\r\n", 57)));
  // The second find: a NUL after a valid address ("127.0.0.1\0H]:85\0"), which inet_pton never saw.
  CHECK_FALSE(parse_greeting(std::string_view("EDGEPROBE-RESPONDER/1 probe=udp you=127.0.0.1\0H]:85\0:40 me=127.0.0.1:4\r\n", 72)));
  const auto v6 = parse_greeting("EDGEPROBE-RESPONDER/1 probe=udp you=[::1]:5 me=[fe80::1%1]:4\r\n");
  REQUIRE(v6);
  CHECK(v6->you_address == "::1");
  CHECK(parse_greeting(format_greeting(*v6))->me_address == v6->me_address);
}
