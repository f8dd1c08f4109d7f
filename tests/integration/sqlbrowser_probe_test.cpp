// The sqlbrowser probe against the sqlbrowser responder on loopback: the
// clustered instance answering from another address, instances the Browser
// does not know, closed ports, and the follow-on TCP connect and PRELOGIN.
#include "net/tcp_responder.hpp"
#include "probes/sqlbrowser/prelogin_responder.hpp"
#include "probes/sqlbrowser/responder.hpp"
#include "probes/udp/responder.hpp"
#include "support/check_runner.hpp"
#include "support/io_thread.hpp"
#include "support/unbound_server.hpp"

#include <doctest/doctest.h>

using namespace edgeprobe;
using json = nlohmann::json;
using udp = net::ip::udp;
using tcp = net::ip::tcp;
using test::details_of;
using test::reason_of;

namespace {

ssrp::instance instance_at(std::string name, std::optional<std::uint16_t> port, bool clustered = false) {
  ssrp::instance i;
  i.server_name = "SQLNODE1";
  i.instance_name = std::move(name);
  i.is_clustered = clustered;
  i.version = "15.0.2000.5";
  i.tcp = port;
  i.np = "\\\\SQLNODE1\\pipe\\sql\\query";
  return i;
}

struct lab {
  explicit lab(sqlbrowser_responder_options o)
      : sql(io.executor(), {net::ip::make_address("127.0.0.1"), 0}, sql_prelogin_responder_options({})),
        browser(io.executor(), {net::ip::make_address("127.0.0.1"), 0}, with_port(std::move(o))) {
    sql.start();
    browser.start();
  }
  ~lab() {
    browser.stop();
    sql.stop();
  }
  // Instances configured with port 1 get the SQL stand-in's real port.
  sqlbrowser_responder_options with_port(sqlbrowser_responder_options o) {
    for (auto& i : o.instances)
      if (i.tcp == 1) i.tcp = sql.local_endpoint().port();
    return o;
  }
  json check(json extra) const {
    json c = {{"probe", "sqlbrowser"}, {"target", "127.0.0.1:" + std::to_string(browser.local_endpoint().port())},
              {"timeout", "2s"}};
    c.update(extra);
    return c;
  }

  test::io_thread io;
  tcp_responder sql;
  sqlbrowser_responder browser;
};

} // namespace

TEST_SUITE("sqlbrowser") {

TEST_CASE("sqlbrowser probe vs a clustered instance answering from its node's address: warn, both addresses named") {
  sqlbrowser_responder_options o;
  o.instances = {instance_at("SALES", 1, true)};
  o.reply_from = net::ip::make_address("127.0.0.2");
  lab l(o);
  const auto r = test::run_check(l.check({{"instance", "SALES"}, {"prelogin", true}}));
  INFO(r.outcome.message);
  CHECK(r.outcome.state == status::warn);
  CHECK(reason_of(r) == "sqlbrowser.reply_from_other_address");
  const auto browser = "127.0.0.1:" + std::to_string(l.browser.local_endpoint().port());
  CHECK(r.outcome.message.find("127.0.0.2:" + std::to_string(l.browser.local_endpoint().port())) != std::string::npos);
  CHECK(r.outcome.message.find(browser) != std::string::npos);
  const auto& d = details_of(r);
  CHECK(d["tcp_port"] == l.sql.local_endpoint().port());
  CHECK(d["instances"][0]["clustered"] == true);
  CHECK(d["connection"]["connect_ms"].is_number());
  CHECK(d["prelogin"]["version"] == "15.0.2000");
}

TEST_CASE("sqlbrowser probe: a reply from another address survives an instance that then does not answer") {
  sqlbrowser_responder_options o;
  const auto closed = test::free_loopback_port();
  o.instances = {instance_at("SALES", closed, true)};
  o.reply_from = net::ip::make_address("127.0.0.2");
  lab l(o);
  const auto r = test::run_check(l.check({{"instance", "SALES"}}));
  INFO(r.outcome.message);
  CHECK(r.outcome.state == status::fail);
  CHECK(reason_of(r) == "sqlbrowser.instance_unreachable");
  const auto& problems = details_of(r)["problems"];
  REQUIRE(problems.size() == 2);
  CHECK(problems[0]["reason"] == "sqlbrowser.reply_from_other_address");
  CHECK(problems[0]["status"] == "warn");
  CHECK(problems[0]["message"].get<std::string>().find("127.0.0.2:") != std::string::npos);
  CHECK(problems[1]["reason"] == "sqlbrowser.instance_unreachable");
  CHECK(problems[1]["status"] == "fail");
  CHECK(problems[1]["message"].get<std::string>().find("127.0.0.1:" + std::to_string(closed)) != std::string::npos);
  CHECK(r.outcome.details["problems"][0]["reason"] == "sqlbrowser.reply_from_other_address");

  // An unknown instance: the list that explains the silence came from elsewhere too.
  const auto unknown = test::run_check(l.check({{"instance", "FINANCE"}}));
  CHECK(reason_of(unknown) == "sqlbrowser.instance_not_found");
  std::vector<std::string> reasons;
  for (const auto& p : details_of(unknown)["problems"]) reasons.push_back(p["reason"]);
  CHECK(reasons == std::vector<std::string>{"sqlbrowser.reply_from_other_address", "sqlbrowser.instance_not_found"});
}

TEST_CASE("sqlbrowser probe: the list, an instance it lacks, and an instance that gets silence") {
  sqlbrowser_responder_options o;
  o.instances = {instance_at("SALES", 1), instance_at("HR", 1)};
  lab l(o);
  const auto all = test::run_check(l.check({{"expect", {{"instances_include", {"sales", "HR"}}}}}));
  CHECK(all.outcome.state == status::pass);
  CHECK(details_of(all)["instances"].size() == 2);
  const auto missing = test::run_check(l.check({{"expect", {{"instances_include", {"FINANCE"}}}}}));
  CHECK(reason_of(missing) == "sqlbrowser.instance_not_found");
  CHECK(missing.outcome.message.find("SALES, HR") != std::string::npos);

  // An unknown named instance gets no answer at all; the list tells why.
  const auto unknown = test::run_check(l.check({{"instance", "FINANCE"}}));
  CHECK(reason_of(unknown) == "sqlbrowser.instance_not_found");
  CHECK(unknown.outcome.message.find("is up (it lists SALES, HR)") != std::string::npos);
}

TEST_CASE("sqlbrowser probe: nothing on UDP 1434, a silent Browser, and a closed instance port") {
  const auto closed = test::free_loopback_port();
  const auto r = test::run_check({{"probe", "sqlbrowser"}, {"target", "127.0.0.1:" + std::to_string(closed)}});
  CHECK(reason_of(r) == "sqlbrowser.port_unreachable");

  test::io_thread io;
  udp_responder_options silence;
  silence.silent = true;
  udp_responder silent(io.executor(), {net::ip::make_address("127.0.0.1"), 0}, silence);
  silent.start();
  const auto quiet = test::run_check({{"probe", "sqlbrowser"},
                                      {"target", "127.0.0.1:" + std::to_string(silent.local_endpoint().port())},
                                      {"instance", "SALES"},
                                      {"timeout", "1s"}});
  CHECK(reason_of(quiet) == "sqlbrowser.no_response");
  silent.stop();

  sqlbrowser_responder_options o;
  o.instances = {instance_at("SALES", test::free_loopback_port())};
  lab l(o);
  const auto unreachable = test::run_check(l.check({{"instance", "SALES"}}));
  CHECK(reason_of(unreachable) == "sqlbrowser.instance_unreachable");
  CHECK(unreachable.outcome.message.find("tcp.refused") != std::string::npos);
}

TEST_CASE("sqlbrowser probe: expectations on port and version, an instance with no TCP, another service answering") {
  sqlbrowser_responder_options o;
  o.instances = {instance_at("SALES", 1), instance_at("PIPES", std::nullopt)};
  lab l(o);
  CHECK(reason_of(test::run_check(l.check({{"instance", "SALES"}, {"expect", {{"tcp_port", 1433}}}}))) ==
        "sqlbrowser.port_mismatch");
  CHECK(reason_of(test::run_check(l.check({{"instance", "SALES"}, {"expect", {{"version_prefix", "16."}}}}))) ==
        "sqlbrowser.version_mismatch");
  CHECK(test::run_check(l.check({{"instance", "SALES"}, {"expect", {{"version_prefix", "15.0"}}}})).outcome.state ==
        status::pass);
  CHECK(reason_of(test::run_check(l.check({{"instance", "PIPES"}}))) == "sqlbrowser.no_tcp_endpoint");

  test::io_thread io;
  udp_responder greeter(io.executor(), {net::ip::make_address("127.0.0.1"), 0});
  greeter.start();
  const auto other = test::run_check(
      {{"probe", "sqlbrowser"}, {"target", "127.0.0.1:" + std::to_string(greeter.local_endpoint().port())}});
  CHECK(reason_of(other) == "sqlbrowser.malformed");
  greeter.stop();
}

TEST_CASE("sqlbrowser probe: the DAC port, and a port now held by another instance") {
  sqlbrowser_responder_options o;
  o.instances = {instance_at("SALES", 1)};
  o.dac_port = 1434 + 100;
  lab l(o);
  const auto dac = test::run_check(l.check({{"instance", "SALES"}, {"dac", true}}));
  CHECK(dac.outcome.state == status::pass);
  CHECK(details_of(dac)["dac"]["tcp_port"] == 1534);

  sqlbrowser_responder_options no_dac;
  no_dac.instances = {instance_at("SALES", 1)};
  lab without(no_dac);
  const auto off = test::run_check(without.check({{"instance", "SALES"}, {"dac", true}, {"timeout", "1s"}}));
  CHECK(off.outcome.state == status::pass); // the DAC is off by default on SQL Server: evidence, not a failure
  CHECK(details_of(off)["dac"].get<std::string>().starts_with("no answer"));

  // Something else listens on the instance's port (the tcp responder greets in text).
  test::io_thread other_io;
  tcp_responder web(other_io.executor(), {net::ip::make_address("127.0.0.1"), 0});
  web.start();
  sqlbrowser_responder_options wrong;
  wrong.instances = {instance_at("SALES", web.local_endpoint().port())};
  lab l3(wrong);
  const auto not_sql = test::run_check(l3.check({{"instance", "SALES"}, {"prelogin", true}, {"timeout", "5s"}}));
  CHECK(not_sql.outcome.state == status::warn);
  CHECK(reason_of(not_sql) == "sqlbrowser.malformed");
  CHECK(not_sql.outcome.message.find("is it SQL Server?") != std::string::npos);
  // Judged on the first bytes, not by waiting for the deadline.
  CHECK(not_sql.outcome.message.find("PRELOGIN answer does not decode") != std::string::npos);
  web.stop();

  // The Browser's entry is stale: the server on that port is HR, not SALES.
  test::io_thread io;
  tcp_responder hr(io.executor(), {net::ip::make_address("127.0.0.1"), 0}, sql_prelogin_responder_options({{}, "HR"}));
  hr.start();
  sqlbrowser_responder_options stale;
  stale.instances = {instance_at("SALES", hr.local_endpoint().port())};
  lab l2(stale);
  const auto moved = test::run_check(l2.check({{"instance", "SALES"}, {"prelogin", true}}));
  CHECK(reason_of(moved) == "sqlbrowser.port_mismatch");
  CHECK(details_of(moved)["prelogin"]["instance_matches"] == false);
  CHECK(moved.outcome.message.find("says it is not SALES") != std::string::npos);
  hr.stop();
}

TEST_CASE("sql_prelogin_answer: version, encryption off, INSTOPT says whether the named instance is this one") {
  tds::client_prelogin hello;
  hello.instance = "sales";
  const auto asked = *tds::build_client_prelogin(hello);
  const auto same = tds::parse_server_prelogin(*sql_prelogin_answer(asked, {{16, 0, 1000, 6}, "SALES"}));
  REQUIRE(same);
  CHECK(same.value->version.text() == "16.0.1000");
  CHECK(same.value->encryption == tds::encrypt::off);
  CHECK(same.value->instance_validity == 0);
  const auto other = tds::parse_server_prelogin(*sql_prelogin_answer(asked, {{16, 0, 1000, 6}, "HR"}));
  CHECK(other.value->instance_validity == 1);
  const std::vector<std::uint8_t> junk = {0x12, 0x01, 0x00, 0x09, 0, 0, 0, 0, 0xff};
  CHECK_FALSE(sql_prelogin_answer(junk, {}));
}

} // TEST_SUITE
