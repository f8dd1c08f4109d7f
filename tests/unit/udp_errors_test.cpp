// ICMP classification and the retransmission schedule: pure functions.
#include "net/udp_errors.hpp"
#include "net/udp_exchange.hpp"

#include <doctest/doctest.h>

using namespace edgeprobe;
using namespace std::chrono_literals;

TEST_CASE("udp_errors: ICMPv4 destination-unreachable codes are classified") {
  CHECK(classify_icmp(false, 3, 3) == icmp_kind::port_unreachable);
  CHECK(classify_icmp(false, 3, 0) == icmp_kind::net_unreachable);
  CHECK(classify_icmp(false, 3, 1) == icmp_kind::host_unreachable);
  CHECK(classify_icmp(false, 3, 13) == icmp_kind::admin_prohibited);
  CHECK(classify_icmp(false, 3, 10) == icmp_kind::admin_prohibited);
  CHECK(classify_icmp(false, 3, 4) == icmp_kind::other);   // fragmentation needed
  CHECK(classify_icmp(false, 11, 0) == icmp_kind::other);  // time exceeded
  // ICMPv6 numbers the same meanings differently: port unreachable is 1/4.
  CHECK(classify_icmp(true, 1, 4) == icmp_kind::port_unreachable);
  CHECK(classify_icmp(true, 1, 3) == icmp_kind::host_unreachable);
  CHECK(classify_icmp(true, 1, 0) == icmp_kind::net_unreachable);
  CHECK(classify_icmp(true, 1, 1) == icmp_kind::admin_prohibited);
  CHECK(classify_icmp(true, 3, 4) == icmp_kind::other); // not type 3 code 3 in v6
}

TEST_CASE("udp_errors: descriptions name the ICMP message and its numbers") {
  icmp_error e;
  e.type = 3;
  e.code = 13;
  CHECK(describe(e) == "communication administratively prohibited (ICMP type 3 code 13)");
  e.v6 = true;
  e.type = 1;
  e.code = 4;
  CHECK(describe(e) == "port unreachable (ICMPv6 type 1 code 4)");
}

TEST_CASE("udp_errors: ICMP errors map to the transport-neutral reason codes") {
  icmp_error e;
  e.kind = icmp_kind::port_unreachable;
  CHECK(icmp_reason(e) == reason::udp_port_unreachable);
  e.kind = icmp_kind::host_unreachable;
  CHECK(icmp_reason(e) == reason::tcp_host_unreachable);
  e.kind = icmp_kind::admin_prohibited;
  CHECK(icmp_reason(e) == reason::tcp_admin_prohibited);
  e.kind = icmp_kind::net_unreachable;
  CHECK(icmp_reason(e) == reason::tcp_net_unreachable);
}

TEST_CASE("udp_exchange: a fitted schedule's doubling waits fill the window exactly") {
  const auto s = retransmission_schedule::fitted(700ms, 3); // waits 100, 200, 400
  CHECK(s.max_transmissions == 3);
  CHECK(s.doubling);
  CHECK(s.initial_rto == std::chrono::duration_cast<clock::duration>(100ms));
  const auto one = retransmission_schedule::fitted(2s, 1); // one datagram, then listen for it all
  CHECK(one.max_transmissions == 1);
  CHECK(one.initial_rto == std::chrono::duration_cast<clock::duration>(2s));
  CHECK(retransmission_schedule::fitted(0ms, 4).initial_rto >= std::chrono::duration_cast<clock::duration>(1ms));
}
