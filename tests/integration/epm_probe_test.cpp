// The rpc-epm probe against the epm responder on loopback: a registered
// interface and its dynamic port, an unregistered one, a tower naming another
// address, a dynamic port nobody listens on, paging through ept_lookup, port
// expectations, and peers that are not (or not willing) endpoint mappers.
#include "net/tcp_responder.hpp"
#include "probes/rpc_epm/dcerpc.hpp"
#include "probes/rpc_epm/responder.hpp"
#include "support/check_runner.hpp"
#include "support/io_thread.hpp"
#include "support/process.hpp"
#include "support/unbound_server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <doctest/doctest.h>

using namespace edgeprobe;
using json = nlohmann::json;
using tcp = net::ip::tcp;
using test::details_of;
using test::reason_of;

namespace {

const tcp::endpoint any_loopback{net::ip::make_address("127.0.0.1"), 0};

dcerpc::syntax_id interface_named(std::string_view name) { return dcerpc::find_interface(name)->id; }

// An endpoint mapper whose registrations point at a live "service" (the tcp
// responder) unless a registration names its own port.
struct lab {
  explicit lab(std::vector<epm_registration> registrations, std::string tower_address = {})
      : service(io.executor(), any_loopback) {
    service.start();
    for (auto& r : registrations)
      if (r.port == 0) r.port = service.local_endpoint().port();
    epm.emplace(io.executor(), any_loopback, epm_responder_tcp_options({std::move(registrations), std::move(tower_address)}));
    epm->start();
  }
  ~lab() {
    epm->stop();
    service.stop();
  }
  json check(json extra) const {
    json c = {{"probe", "rpc-epm"}, {"target", "127.0.0.1:" + std::to_string(epm->local_endpoint().port())},
              {"timeout", "2s"}};
    c.update(extra);
    return c;
  }
  std::string target() const { return "127.0.0.1:" + std::to_string(epm->local_endpoint().port()); }

  test::io_thread io;
  tcp_responder service;
  std::optional<tcp_responder> epm;
};

// A peer that answers the bind with `first` and any request with `second`.
tcp_responder_options scripted(std::vector<std::uint8_t> first, std::vector<std::uint8_t> second = {}) {
  tcp_responder_options o;
  o.serve_connection = [first, second](tcp::socket& socket) -> net::awaitable<void> {
    std::array<std::uint8_t, 4096> chunk;
    for (const auto* answer : {&first, &second}) {
      auto [ec, n] = co_await socket.async_read_some(net::buffer(chunk), net::as_tuple(net::use_awaitable));
      if (ec || answer->empty()) co_return;
      co_await net::async_write(socket, net::buffer(*answer), net::as_tuple(net::use_awaitable));
    }
  };
  return o;
}

} // namespace

TEST_SUITE("epm") {

TEST_CASE("rpc-epm: samr is mapped to the service's port, and that port accepts") {
  lab l({{interface_named("samr"), 0, "samr"}, {interface_named("winreg"), 0, "winreg"}});
  const auto r = test::run_check(l.check({{"interface", "samr"}}));
  INFO(r.outcome.message);
  CHECK(r.outcome.state == status::pass);
  const auto& d = details_of(r);
  CHECK(d["port"] == l.service.local_endpoint().port());
  CHECK(d["registered"] == true);
  CHECK(d["bind"]["result"] == "acceptance");
  CHECK(d["endpoints"][0]["name"] == "samr");
  CHECK(d["endpoints"][0]["protocol"] == "ncacn_ip_tcp");
  CHECK(d["endpoints"][0]["address"] == "127.0.0.1");
  CHECK(d["dynamic_connection"]["connect_ms"].is_number());
  CHECK(r.outcome.message.find("on port " + std::to_string(l.service.local_endpoint().port()) +
                               ", and that port accepts connections") != std::string::npos);
}

TEST_CASE("rpc-epm: an interface nobody registered is epm.not_registered, unless that is what the check expects") {
  lab l({{interface_named("samr"), 0, "samr"}});
  const auto r = test::run_check(l.check({{"interface", "12345678-1234-1234-1234-123456789abc"}}));
  CHECK(reason_of(r) == "epm.not_registered");
  CHECK(details_of(r)["ept_map_status"] == "ept_not_registered");
  CHECK(r.outcome.message.find("12345678-1234-1234-1234-123456789abc") != std::string::npos);

  const auto absent = test::run_check(l.check({{"interface", "winreg"}, {"expect", {{"registered", false}}}}));
  CHECK(absent.outcome.state == status::pass);
  const auto present = test::run_check(l.check({{"interface", "samr"}, {"expect", {{"registered", false}}}}));
  CHECK(reason_of(present) == "epm.not_registered");
  CHECK(present.outcome.state == status::fail);
}

TEST_CASE("rpc-epm: a tower naming another address warns epm.address_mismatch with both addresses") {
  lab l({{interface_named("samr"), 0, "samr"}}, "10.99.0.5");
  const auto r = test::run_check(l.check({{"interface", "samr"}, {"connect", false}}));
  CHECK(r.outcome.state == status::warn);
  CHECK(reason_of(r) == "epm.address_mismatch");
  CHECK(r.outcome.message.find("10.99.0.5:" + std::to_string(l.service.local_endpoint().port())) != std::string::npos);
  CHECK(r.outcome.message.find("not to 127.0.0.1") != std::string::npos);
}

TEST_CASE("rpc-epm over IPv6: towers carry 0.0.0.0, and that is no mismatch") {
  test::io_thread io;
  const tcp::endpoint v6{net::ip::make_address("::1"), 0};
  tcp_responder service(io.executor(), v6);
  service.start();
  tcp_responder epm(io.executor(), v6,
                    epm_responder_tcp_options({{{interface_named("samr"), service.local_endpoint().port(), "samr"}}, ""}));
  epm.start();
  const auto r = test::run_check(
      {{"probe", "rpc-epm"}, {"target", "[::1]:" + std::to_string(epm.local_endpoint().port())}, {"interface", "samr"}});
  INFO(r.outcome.message);
  CHECK(r.outcome.state == status::pass);
  CHECK(details_of(r)["endpoints"][0]["address"] == "0.0.0.0");
  CHECK(details_of(r)["dynamic_connection"]["connect_ms"].is_number());
  epm.stop();
  service.stop();
}

TEST_CASE("rpc-epm: 135 answers but the dynamic port is closed: epm.dynamic_port_unreachable with the tcp reason") {
  const auto closed = test::free_loopback_port();
  lab l({{interface_named("samr"), closed, "samr"}});
  const auto r = test::run_check(l.check({{"interface", "samr"}}));
  CHECK(reason_of(r) == "epm.dynamic_port_unreachable");
  CHECK(r.outcome.message.find("127.0.0.1:" + std::to_string(closed)) != std::string::npos);
  CHECK(r.outcome.message.find("tcp.refused") != std::string::npos);
  CHECK(details_of(r)["dynamic_connection"].is_object());
}

TEST_CASE("rpc-epm: a tower naming another address, then a refused dynamic port: both findings, the refusal the reason") {
  const auto closed = test::free_loopback_port();
  lab l({{interface_named("samr"), closed, "samr"}}, "10.99.0.5");
  const auto r = test::run_check(l.check({{"interface", "samr"}}));
  CHECK(r.outcome.state == status::fail);
  CHECK(reason_of(r) == "epm.dynamic_port_unreachable");
  const auto& problems = details_of(r)["problems"];
  REQUIRE(problems.size() == 2);
  CHECK(problems[0]["reason"] == "epm.address_mismatch");
  CHECK(problems[0]["status"] == "warn");
  CHECK(problems[0]["message"].get<std::string>().find("10.99.0.5:" + std::to_string(closed)) != std::string::npos);
  CHECK(problems[1]["reason"] == "epm.dynamic_port_unreachable");
  CHECK(problems[1]["status"] == "fail");
  CHECK(problems[1]["message"] == r.outcome.message);
  // The check lists them too, each at its address.
  const auto& listed = r.outcome.details["problems"];
  REQUIRE(listed.size() == 2);
  CHECK(listed[0]["reason"] == "epm.address_mismatch");
  CHECK(listed[0]["address"] == l.target());
  CHECK(listed[1]["reason"] == "epm.dynamic_port_unreachable");
}

TEST_CASE("rpc-epm: port and port_range expectations") {
  lab l({{interface_named("samr"), 0, "samr"}});
  const auto port = l.service.local_endpoint().port();
  CHECK(test::run_check(l.check({{"interface", "samr"}, {"expect", {{"port", port}}}})).outcome.state == status::pass);
  CHECK(reason_of(test::run_check(l.check({{"interface", "samr"}, {"expect", {{"port", port == 1 ? 2 : 1}}}}))) ==
        "epm.port_mismatch");
  const auto outside = test::run_check(l.check({{"interface", "samr"}, {"expect", {{"port_range", "1-1023"}}}}));
  CHECK(reason_of(outside) == "epm.port_mismatch");
  CHECK(outside.outcome.message.find("outside 1-1023") != std::string::npos);
}

TEST_CASE("rpc-epm list: pages through ept_lookup until the null handle, every entry in evidence") {
  std::vector<epm_registration> many;
  const auto samr = interface_named("samr");
  for (std::uint16_t i = 0; i < 501; ++i) many.push_back({{samr.id, samr.major, i}, static_cast<std::uint16_t>(40000 + i), "entry " + std::to_string(i)});
  lab l(many);
  const auto r = test::run_check(l.check({{"list", true}}));
  CHECK(r.outcome.state == status::pass);
  const auto& d = details_of(r);
  REQUIRE(d["registrations"].size() == 501); // 500 on the first page, 1 on the second
  CHECK(d["registrations"][500]["port"] == 40500);
  CHECK(d["registrations"][500]["annotation"] == "entry 500");
  CHECK(d["registrations"][0]["name"] == "samr");
  CHECK(d["lookup_status"] == "success");
  CHECK(r.outcome.message == "501 registrations listed");
}

TEST_CASE("rpc-epm: a bind_nak, a fault, and a service that is not an endpoint mapper") {
  test::io_thread io;
  dcerpc::bind_nak_pdu nak;
  nak.head.type = dcerpc::ptype::bind_nak;
  nak.head.call_id = 1;
  nak.reject_reason = dcerpc::reject_reason::temporary_congestion;
  tcp_responder refusing(io.executor(), any_loopback, scripted(*dcerpc::encode(nak)));
  refusing.start();
  const auto target = [](const tcp_responder& r) { return "127.0.0.1:" + std::to_string(r.local_endpoint().port()); };
  const auto refused = test::run_check({{"probe", "rpc-epm"}, {"target", target(refusing)}, {"interface", "samr"}});
  CHECK(reason_of(refused) == "epm.bind_rejected");
  CHECK(refused.outcome.message.find("temporary_congestion") != std::string::npos);

  dcerpc::bind_ack_pdu ack;
  ack.head.type = dcerpc::ptype::bind_ack;
  ack.head.call_id = 1;
  ack.secondary_address = "135";
  ack.results.push_back({dcerpc::bind_result::acceptance, 0, dcerpc::ndr_syntax});
  dcerpc::fault_pdu fault;
  fault.head.type = dcerpc::ptype::fault;
  fault.head.call_id = 2;
  fault.status = dcerpc::status::access_denied;
  tcp_responder faulting(io.executor(), any_loopback, scripted(*dcerpc::encode(ack), *dcerpc::encode(fault)));
  faulting.start();
  const auto faulted = test::run_check({{"probe", "rpc-epm"}, {"target", target(faulting)}, {"interface", "samr"}});
  CHECK(reason_of(faulted) == "epm.fault");
  CHECK(faulted.outcome.message.find("access_denied") != std::string::npos);

  // A server that does not enumerate: the list ends, the check still passes, and says so.
  auto lookup_fault = fault;
  lookup_fault.status = dcerpc::status::op_rng_error;
  tcp_responder no_lookup(io.executor(), any_loopback, scripted(*dcerpc::encode(ack), *dcerpc::encode(lookup_fault)));
  no_lookup.start();
  const auto declined = test::run_check({{"probe", "rpc-epm"}, {"target", target(no_lookup)}, {"list", true}});
  CHECK(declined.outcome.state == status::pass);
  CHECK(details_of(declined)["lookup_status"] == "fault op_rng_error");
  CHECK(declined.outcome.message == "0 registrations listed (the endpoint mapper does not enumerate: fault op_rng_error)");
  no_lookup.stop();

  tcp_responder greeter(io.executor(), any_loopback);
  greeter.start();
  const auto other = test::run_check({{"probe", "rpc-epm"}, {"target", target(greeter)}, {"interface", "samr"}});
  CHECK(reason_of(other) == "epm.malformed");
  INFO(other.outcome.message);
  CHECK(other.outcome.message.find("another service listens on this port") != std::string::npos);

  const auto closed = test::run_check(
      {{"probe", "rpc-epm"}, {"target", "127.0.0.1:" + std::to_string(test::free_loopback_port())}, {"interface", "samr"}});
  CHECK(reason_of(closed) == "tcp.refused");
  for (auto* r : {&refusing, &faulting, &greeter}) r->stop();
}

TEST_CASE("impacket reads the epm responder: hept_map gives the registered port, hept_lookup every entry") {
  lab l({{interface_named("samr"), 0, "samr"}, {interface_named("emsmdb"), 40001, "Exchange MAPI"}});
  const auto port = std::to_string(l.epm->local_endpoint().port());
  const std::string connect = "from impacket.dcerpc.v5 import epm, transport, samr\n"
                              "def dce():\n"
                              "    d = transport.DCERPCTransportFactory(\"ncacn_ip_tcp:127.0.0.1[" + port + "]\").get_dce_rpc()\n"
                              "    d.connect()\n"
                              "    return d\n";
  const auto mapped = test::run_process(
      {"/usr/bin/python3", "-c", connect + "print(epm.hept_map(\"127.0.0.1\", samr.MSRPC_UUID_SAMR, protocol=\"ncacn_ip_tcp\", dce=dce()))"});
  INFO(mapped.out, mapped.err);
  CHECK(mapped.exit_code == 0);
  CHECK(mapped.out == "ncacn_ip_tcp:127.0.0.1[" + std::to_string(l.service.local_endpoint().port()) + "]\n");

  const auto listed = test::run_process(
      {"/usr/bin/python3", "-c", connect + "for e in epm.hept_lookup(None, dce=dce()):\n"
                                           "    print(epm.PrintStringBinding(e[\"tower\"][\"Floors\"]), e[\"annotation\"])"});
  INFO(listed.out, listed.err);
  CHECK(listed.exit_code == 0);
  CHECK(listed.out.find("ncacn_ip_tcp:127.0.0.1[40001]") != std::string::npos);
  CHECK(listed.out.find("Exchange MAPI") != std::string::npos);
}

} // TEST_SUITE
