// Error-queue decoding, ICMP classification and the retransmission schedule:
// pure functions.
#include "net/icmp_errors.hpp"
#include "net/socket_errors.hpp"
#include "net/udp_exchange.hpp"

#include "support/hex_bytes.hpp"

#include <doctest/doctest.h>

#include <cerrno>
#include <string_view>

using namespace edgeprobe;
using test::from_hex;
using namespace std::chrono_literals;

namespace {

// Captured from Linux 6.x (x86-64) with recvmsg(MSG_ERRQUEUE) after a datagram
// "ping" to 127.0.0.1:9 / [::1]:9 where nothing listened: msg_control and msg_name.
// v4: cmsghdr{len 48, SOL_IP, IP_RECVERR}, sock_extended_err{ECONNREFUSED, origin
// ICMP, type 3, code 3}, offender sockaddr_in 127.0.0.1.
constexpr std::string_view v4_control = "3000000000000000000000000b0000006f000000020303000000000000000000"
                                        "020000007f0000010000000000000000";
constexpr std::string_view v4_name = "020000097f0000010000000000000000";
// v6: cmsghdr{len 60, SOL_IPV6, IPV6_RECVERR}, origin ICMP6, type 1, code 4,
// offender sockaddr_in6 ::1, then 4 bytes of alignment padding.
constexpr std::string_view v6_control = "3c0000000000000029000000190000006f000000030104000000000000000000"
                                        "0a0000000000000000000000000000000000000000000001000000002f2f2f2f";
constexpr std::string_view v6_name = "0a000009000000000000000000000000000000000000000100000000";

} // namespace

TEST_CASE("icmp_errors: a captured IPv4 port unreachable decodes with type, code, offender and destination") {
  const auto errors = decode_error_queue(from_hex(v4_control), from_hex(v4_name));
  REQUIRE(errors.size() == 1);
  const auto& e = errors[0];
  CHECK_FALSE(e.v6);
  CHECK_FALSE(e.local);
  CHECK(e.type == 3);
  CHECK(e.code == 3);
  CHECK(e.kind == icmp_kind::port_unreachable);
  CHECK(e.error_number == ECONNREFUSED);
  REQUIRE(e.from);
  CHECK(*e.from == net::ip::make_address("127.0.0.1"));
  REQUIRE(e.about);
  CHECK(*e.about == net::ip::udp::endpoint(net::ip::make_address("127.0.0.1"), 9));
}

TEST_CASE("icmp_errors: a captured ICMPv6 port unreachable decodes (padding after the record ignored)") {
  const auto errors = decode_error_queue(from_hex(v6_control), from_hex(v6_name));
  REQUIRE(errors.size() == 1);
  const auto& e = errors[0];
  CHECK(e.v6);
  CHECK(e.type == 1);
  CHECK(e.code == 4);
  CHECK(e.kind == icmp_kind::port_unreachable);
  REQUIRE(e.from);
  CHECK(*e.from == net::ip::make_address("::1"));
  REQUIRE(e.about);
  CHECK(*e.about == net::ip::udp::endpoint(net::ip::make_address("::1"), 9));
}

TEST_CASE("icmp_errors: truncated or lying records are not trusted") {
  const auto control = from_hex(v4_control);
  const auto name = from_hex(v4_name);
  SUBCASE("cut inside the offender: the error is kept, the offender is not") {
    auto cut = control;
    cut.resize(40);
    cut[0] = 40; // a consistent, shorter record
    const auto errors = decode_error_queue(cut, name);
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].type == 3);
    CHECK_FALSE(errors[0].from);
  }
  SUBCASE("cmsg_len longer than the bytes given: nothing") {
    auto lying = control;
    lying[0] = 200;
    CHECK(decode_error_queue(lying, name).empty());
  }
  SUBCASE("cut inside sock_extended_err, or inside the header: nothing") {
    CHECK(decode_error_queue(std::span(control).first(24), name).empty());
    CHECK(decode_error_queue(std::span(control).first(8), name).empty());
    CHECK(decode_error_queue({}, name).empty());
  }
  SUBCASE("another kind of control message is skipped") {
    auto other = control;
    other[12] = 1; // cmsg_type: not IP_RECVERR
    CHECK(decode_error_queue(other, name).empty());
  }
  SUBCASE("a short msg_name leaves the destination unknown") {
    const auto errors = decode_error_queue(control, std::span(name).first(4));
    REQUIRE(errors.size() == 1);
    CHECK_FALSE(errors[0].about);
  }
}

TEST_CASE("icmp_errors: ICMPv4 destination-unreachable codes are classified") {
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

TEST_CASE("icmp_errors: descriptions name the ICMP message and its numbers") {
  icmp_error e;
  e.type = 3;
  e.code = 13;
  CHECK(describe(e) == "communication administratively prohibited (ICMP type 3 code 13)");
  e.v6 = true;
  e.type = 1;
  e.code = 4;
  CHECK(describe(e) == "port unreachable (ICMPv6 type 1 code 4)");
}

TEST_CASE("icmp_errors: ICMP errors map to the transport-neutral reason codes") {
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

TEST_CASE("icmp_errors: a TCP connect's ICMP error decides its reason, the errno only when the ICMP says nothing") {
  auto icmp = [](bool v6, std::uint8_t type, std::uint8_t code) {
    icmp_error e;
    e.v6 = v6;
    e.type = type;
    e.code = code;
    e.kind = classify_icmp(v6, type, code);
    return std::optional<icmp_error>(e);
  };
  const boost::system::error_code unreachable(EHOSTUNREACH, boost::system::system_category());
  CHECK(classify_connect_failure(unreachable, icmp(false, 3, 3), false) == reason::tcp_refused);
  CHECK(classify_connect_failure(unreachable, icmp(false, 3, 13), false) == reason::tcp_admin_prohibited);
  CHECK(classify_connect_failure(unreachable, icmp(false, 3, 1), false) == reason::tcp_host_unreachable);
  CHECK(classify_connect_failure(unreachable, icmp(false, 3, 0), false) == reason::tcp_net_unreachable);
  CHECK(classify_connect_failure(unreachable, icmp(true, 1, 1), false) == reason::tcp_admin_prohibited);
  CHECK(classify_connect_failure(unreachable, icmp(true, 1, 4), false) == reason::tcp_refused);
  CHECK(classify_connect_failure(unreachable, icmp(false, 11, 0), false) == reason::tcp_net_unreachable);
  // Fragmentation needed says nothing about reachability: the errno decides.
  CHECK(classify_connect_failure(unreachable, icmp(false, 3, 4), false) == reason::tcp_host_unreachable);
  CHECK(classify_connect_failure(unreachable, std::nullopt, false) == reason::tcp_host_unreachable);
}
