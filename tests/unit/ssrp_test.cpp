// SSRP codec ([MC-SQLR]) on real bytes: the spec's own examples (section 4),
// the request from the cluster field story (seed 003), what FreeTDS 1.3.17
// (`tsql -LH`, `tsql -S host\instance`) and nmap 7.93 (ms-sql-info, the DAC
// lookup in its mssql library) send to UDP 1434, and answers built by this
// codec that both tools parsed back to the same instances, TCP ports and DAC
// port (the independent check of the answer format). The files live in
// tests/fuzz/corpus/ssrp, where they also seed the fuzz target.
#include "probes/sqlbrowser/ssrp.hpp"

#include "support/corpus_file.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace edgeprobe;
using bytes = std::vector<std::uint8_t>;
using namespace std::string_literals;

namespace {

bytes corpus(const std::string& name) {
  const std::string raw = test::corpus_bytes("ssrp", name);
  INFO(name);
  REQUIRE(!raw.empty());
  return bytes(raw.begin(), raw.end());
}

// An SVR_RESP around `text`, with a RESP_SIZE that matches.
bytes answer(std::string_view text) {
  bytes out{0x05, static_cast<std::uint8_t>(text.size() & 0xFF), static_cast<std::uint8_t>(text.size() >> 8)};
  out.insert(out.end(), text.begin(), text.end());
  return out;
}

std::vector<ssrp::instance> decode_ok(const bytes& b, ssrp::request_kind asked = ssrp::request_kind::ucast_ex) {
  auto r = ssrp::decode_response(b, asked);
  INFO(r.error.what);
  REQUIRE(r);
  return *r.value;
}

wire::failure decode_fails(const bytes& b, ssrp::request_kind asked = ssrp::request_kind::ucast_ex) {
  auto r = ssrp::decode_response(b, asked);
  REQUIRE_FALSE(r);
  return r.error;
}

ssrp::instance make(std::string server, std::string name, std::string version) {
  ssrp::instance i;
  i.server_name = std::move(server);
  i.instance_name = std::move(name);
  i.version = std::move(version);
  return i;
}

} // namespace

TEST_SUITE("sqlbrowser") {

TEST_CASE("ssrp: request builders give the spec's bytes") {
  CHECK(ssrp::build_bcast_ex() == bytes{0x02});
  CHECK(ssrp::build_ucast_ex() == bytes{0x03});
  CHECK(ssrp::build_ucast_ex() == corpus("tsql_1.3.17_ucast_ex_request.bin"));
  CHECK(ssrp::build_ucast_inst("YUKONSTD") == corpus("mc_sqlr_4_2_ucast_inst_request.bin"));
  CHECK(ssrp::build_ucast_dac("YUKONSTD") == corpus("mc_sqlr_4_3_dac_request.bin"));
  // What FreeTDS and nmap put on the wire for the same names.
  CHECK(ssrp::build_ucast_inst("SQLEXPRESS") == corpus("tsql_1.3.17_ucast_inst_request_sqlexpress.bin"));
  CHECK(ssrp::build_ucast_dac("MSSQLSERVER") == corpus("nmap_7.93_dac_request_mssqlserver.bin"));
}

TEST_CASE("ssrp: instance names over 32 bytes, empty or with a NUL are refused") {
  const std::string name32(32, 'N');
  const auto ok = ssrp::build_ucast_inst(name32);
  REQUIRE(ok);
  CHECK(ok->size() == 34);
  CHECK(ok->back() == 0x00);
  CHECK(ssrp::instance_name_problem(name32).empty());

  CHECK_FALSE(ssrp::build_ucast_inst(name32 + "N"));
  CHECK_FALSE(ssrp::build_ucast_dac(name32 + "N"));
  CHECK(ssrp::instance_name_problem(name32 + "N") == "instance name is 33 bytes; [MC-SQLR] allows at most 32");
  CHECK_FALSE(ssrp::build_ucast_inst(""));
  CHECK(ssrp::instance_name_problem("") == "instance name is empty");
  CHECK_FALSE(ssrp::build_ucast_dac(std::string("SQL\0X", 5)));
  CHECK(ssrp::instance_name_problem(std::string("SQL\0X", 5)) == "instance name contains a NUL byte");
}

TEST_CASE("ssrp: requests captured from FreeTDS, nmap, the spec and the field story decode") {
  auto r = ssrp::decode_request(corpus("tsql_1.3.17_ucast_ex_request.bin"));
  REQUIRE(r);
  CHECK(r.value->kind == ssrp::request_kind::ucast_ex);
  CHECK(r.value->instance.empty());

  r = ssrp::decode_request(corpus("tsql_1.3.17_ucast_inst_request_sqlexpress.bin"));
  REQUIRE(r);
  CHECK(r.value->kind == ssrp::request_kind::ucast_inst);
  CHECK(r.value->instance == "SQLEXPRESS");

  r = ssrp::decode_request(corpus("nmap_7.93_dac_request_mssqlserver.bin"));
  REQUIRE(r);
  CHECK(r.value->kind == ssrp::request_kind::ucast_dac);
  CHECK(r.value->instance == "MSSQLSERVER");

  r = ssrp::decode_request(corpus("mc_sqlr_4_3_dac_request.bin"));
  REQUIRE(r);
  CHECK(r.value->kind == ssrp::request_kind::ucast_dac);
  CHECK(r.value->instance == "YUKONSTD");

  // Seed 003's trace: 04 11 33 43 53 61 7c 00. The blog replaced the instance
  // name for privacy (its ASCII column still says ".SQLSER."), so the bytes are
  // odd but well formed: a six-byte name and the NUL.
  r = ssrp::decode_request(corpus("seed003_ucast_inst_request.bin"));
  REQUIRE(r);
  CHECK(r.value->kind == ssrp::request_kind::ucast_inst);
  CHECK(r.value->instance == "\x11" "3CSa|");

  CHECK(ssrp::decode_request(bytes{0x02}).value->kind == ssrp::request_kind::bcast_ex);
}

TEST_CASE("ssrp: malformed requests fail with an offset and a reason") {
  // nmap's UDP port scan sends an empty datagram to 1434; a browser ignores it.
  const std::string empty = test::corpus_bytes("ssrp", "nmap_7.93_udp_1434_port_probe_empty.bin");
  CHECK(empty.empty());
  auto r = ssrp::decode_request(bytes(empty.begin(), empty.end()));
  CHECK_FALSE(r);
  CHECK(r.error.offset == 0);
  CHECK(r.error.what == "empty datagram");

  r = ssrp::decode_request(bytes{0x03, 0x00});
  CHECK(r.error.offset == 1);
  CHECK(r.error.what == "CLNT_UCAST_EX is one byte; 1 more follow");

  r = ssrp::decode_request(bytes{0x04, 'A', 'B'});
  CHECK(r.error.offset == 3);
  CHECK(r.error.what == "CLNT_UCAST_INST instance name is not NUL-terminated");

  r = ssrp::decode_request(bytes{0x04, 0x00});
  CHECK(r.error.offset == 1);
  CHECK(r.error.what == "CLNT_UCAST_INST asks for an empty instance name");

  r = ssrp::decode_request(bytes{0x04, 'A', 0x00, 'B'});
  CHECK(r.error.offset == 3);
  CHECK(r.error.what == "1 bytes follow the instance name's NUL");

  bytes long_name{0x04};
  long_name.insert(long_name.end(), 33, 'N');
  long_name.push_back(0x00);
  r = ssrp::decode_request(long_name);
  CHECK(r.error.offset == 1);
  CHECK(r.error.what == "CLNT_UCAST_INST instance name is 33 bytes; at most 32");

  r = ssrp::decode_request(bytes{0x0F, 0x02, 'A', 0x00});
  CHECK(r.error.offset == 1);
  CHECK(r.error.what == "CLNT_UCAST_DAC PROTOCOLVERSION is 0x02, not 0x01");

  r = ssrp::decode_request(bytes{0x0F});
  CHECK(r.error.what == "CLNT_UCAST_DAC ends before PROTOCOLVERSION");

  CHECK(ssrp::decode_request(corpus("mc_sqlr_4_3_dac_response.bin")).error.what == "an SVR_RESP (0x05), not a request");
  CHECK(ssrp::decode_request(bytes{0x07}).error.what == "0x07 is not an SSRP request type");
}

TEST_CASE("ssrp: the spec's CLNT_UCAST_EX answer holds three instances") {
  const auto records = decode_ok(corpus("mc_sqlr_4_1_ucast_ex_response.bin"));
  REQUIRE(records.size() == 3);

  CHECK(records[0].server_name == "ILSUNG1");
  CHECK(records[0].instance_name == "YUKONSTD");
  CHECK_FALSE(records[0].is_clustered);
  CHECK(records[0].version == "9.00.1399.06");
  CHECK(records[0].tcp == 57137);
  CHECK_FALSE(records[0].np);

  CHECK(records[1].instance_name == "YUKONDEV");
  CHECK_FALSE(records[1].tcp); // named pipes only
  CHECK(records[1].np == R"(\\ILSUNG1\pipe\MSSQL$YUKONDEV\sql\query)");

  CHECK(records[2].instance_name == "MSSQLSERVER");
  CHECK(records[2].tcp == 1433);
  CHECK(records[2].np == R"(\\ILSUNG1\pipe\sql\query)");
  for (const auto& r : records) {
    CHECK_FALSE(r.via);
    CHECK_FALSE(r.rpc);
    CHECK_FALSE(r.spx);
    CHECK_FALSE(r.adsp);
    CHECK_FALSE(r.bv);
    CHECK(r.others.empty());
  }
}

TEST_CASE("ssrp: the spec's CLNT_UCAST_INST answer is one instance") {
  const auto b = corpus("mc_sqlr_4_2_ucast_inst_response.bin");
  const auto records = decode_ok(b, ssrp::request_kind::ucast_inst);
  REQUIRE(records.size() == 1);
  CHECK(records[0].server_name == "ILSUNG1");
  CHECK(records[0].instance_name == "YUKONSTD");
  CHECK(records[0].version == "9.00.1399.06");
  CHECK(records[0].tcp == 57137);
  // The same bytes are a valid answer to the EX forms too.
  CHECK(decode_ok(b, ssrp::request_kind::bcast_ex).size() == 1);
}

TEST_CASE("ssrp: the DAC answer") {
  auto r = ssrp::decode_dac_response(corpus("mc_sqlr_4_3_dac_response.bin"));
  REQUIRE(r);
  CHECK(*r.value == 57138); // 0xDF32, "32 df" on the wire
  CHECK(ssrp::build_dac_response(57138) == corpus("mc_sqlr_4_3_dac_response.bin"));
  // nmap's DiscoverDACPort read 41436 from this answer.
  CHECK(*ssrp::decode_dac_response(corpus("responder_dac_41436.bin")).value == 41436);

  r = ssrp::decode_dac_response(bytes{0x05, 0x06, 0x00, 0x01, 0x32});
  CHECK(r.error.offset == 5);
  CHECK(r.error.what == "DAC answer is 5 bytes, not 6");
  r = ssrp::decode_dac_response(bytes{0x05, 0x03, 0x00, 0x01, 0x32, 0xDF});
  CHECK(r.error.offset == 1);
  CHECK(r.error.what == "RESP_SIZE is 3; a DAC answer's is 6");
  r = ssrp::decode_dac_response(bytes{0x05, 0x06, 0x00, 0x02, 0x32, 0xDF});
  CHECK(r.error.offset == 3);
  CHECK(r.error.what == "DAC answer PROTOCOLVERSION is 0x02, not 0x01");
  r = ssrp::decode_dac_response(ssrp::build_dac_response(0));
  CHECK(r.error.offset == 4);
  CHECK(r.error.what == "DAC port is 0");
  r = ssrp::decode_dac_response(bytes{0x05, 0x06});
  CHECK(r.error.offset == 2);
  CHECK(r.error.what == "message ends inside RESP_SIZE");
  CHECK(ssrp::decode_dac_response(bytes{0x04, 0x06, 0x00, 0x01, 0x32, 0xDF}).error.what ==
        "type 0x04 is not SVR_RESP (0x05)");
  // A DAC answer is not a list of instances, and the other way round.
  CHECK(decode_fails(corpus("mc_sqlr_4_3_dac_response.bin"), ssrp::request_kind::ucast_dac).what ==
        "the answer to CLNT_UCAST_DAC has no records (decode it with decode_dac_response)");
  CHECK_FALSE(ssrp::decode_dac_response(corpus("mc_sqlr_4_2_ucast_inst_response.bin")));
}

TEST_CASE("ssrp: two semicolons inside a record are an empty value, not the record's end") {
  const auto records = decode_ok(answer("ServerName;;InstanceName;A;IsClustered;No;Version;1.0;np;;tcp;1433;;"
                                        "ServerName;H;InstanceName;;IsClustered;No;Version;2.0;tcp;1434;np;;;"
                                        "ServerName;H;InstanceName;C;IsClustered;No;Version;3.0;rpc;;;"));
  REQUIRE(records.size() == 3);
  CHECK(records[0].server_name.empty());
  CHECK(records[0].instance_name == "A");
  CHECK(records[0].np == "");
  CHECK(records[0].tcp == 1433);
  CHECK(records[1].server_name == "H");
  CHECK(records[1].instance_name.empty());
  CHECK(records[1].tcp == 1434);
  CHECK(records[1].np == ""); // ";;;" before the next ServerName: an empty pipe, then the end
  CHECK(records[2].instance_name == "C");
  CHECK(records[2].rpc == "");
  CHECK_FALSE(records[2].tcp);
}

TEST_CASE("ssrp: every protocol token the spec lists, and unknown ones in order") {
  const auto records = decode_ok(
      answer("ServerName;H;InstanceName;OLD;IsClustered;No;Version;8.00.194;np;\\\\H\\pipe\\sql\\query;"
             "tcp;1433;via;H,0:1433,1:1500;rpc;HOST;spx;SPXSVC;adsp;SQL2000;bv;item;group;org;"
             "zeta;1;alpha;2;;"));
  REQUIRE(records.size() == 1);
  const auto& r = records[0];
  CHECK(r.np == R"(\\H\pipe\sql\query)");
  CHECK(r.tcp == 1433);
  REQUIRE(r.via);
  CHECK(r.via->netbios == "H");
  REQUIRE(r.via->listeners.size() == 2);
  CHECK(r.via->listeners[0] == ssrp::via_listener{"0", "1433"});
  CHECK(r.via->listeners[1] == ssrp::via_listener{"1", "1500"});
  CHECK(r.rpc == "HOST");
  CHECK(r.spx == "SPXSVC");
  CHECK(r.adsp == "SQL2000");
  REQUIRE(r.bv);
  CHECK(r.bv->item == "item");
  CHECK(r.bv->group == "group");
  CHECK(r.bv->org == "org");
  REQUIRE(r.others.size() == 2);
  CHECK(r.others[0] == ssrp::other_token{"zeta", "1"});
  CHECK(r.others[1] == ssrp::other_token{"alpha", "2"});

  // The same set built by this codec: nmap parsed its first two records, tsql
  // printed tcp, np and via of the third and then lost step (it knows no more tokens).
  const auto all = decode_ok(corpus("responder_ucast_ex_all_tokens.bin"));
  REQUIRE(all.size() == 3);
  CHECK(all[2].instance_name == "LEGACY");
  CHECK(all[2].version == "8.00.194");
  CHECK(all[2].via == ssrp::via_parameters{"EDGEPROBE", {{"0", "1433"}}});
  CHECK(all[2].rpc == "EDGEPROBE");
  CHECK(all[2].spx == "EDGEPROBE");
  CHECK(all[2].adsp == "SQL2000");
  CHECK(all[2].bv == ssrp::bv_parameters{"item", "group", "org"});
}

TEST_CASE("ssrp: clustered Yes, and keywords in any case") {
  const auto records =
      decode_ok(answer("ServerName;NODE1;InstanceName;FCI;IsClustered;Yes;Version;15.0.2000.5;tcp;1433;;"
                       "servername;NODE1;INSTANCENAME;B;isclustered;YES;VERSION;16.0.1000.6;TCP;1500;NP;x;;"
                       "ServerName;NODE1;InstanceName;C;IsClustered;no;Version;16.0;;"));
  REQUIRE(records.size() == 3);
  CHECK(records[0].is_clustered);
  CHECK(records[1].is_clustered);
  CHECK(records[1].instance_name == "B");
  CHECK(records[1].tcp == 1500);
  CHECK(records[1].np == "x");
  CHECK(records[1].others.empty());
  CHECK_FALSE(records[2].is_clustered);
}

TEST_CASE("ssrp: a record cut off at a keyword whose last letter's case differs (a fuzz crash)") {
  // "...;IsCLustered" ends the datagram: Boost.Beast's iequals read past it.
  const auto b = corpus("fuzz-crash-iequals-last-byte");
  for (const auto kind : {ssrp::request_kind::bcast_ex, ssrp::request_kind::ucast_ex, ssrp::request_kind::ucast_inst}) {
    const auto r = ssrp::decode_response(b, kind);
    REQUIRE_FALSE(r);
    CHECK(r.error.offset <= b.size());
    CHECK_FALSE(r.error.what.empty());
  }
}

TEST_CASE("ssrp: RESP_SIZE must match the bytes that follow") {
  auto b = corpus("mc_sqlr_4_2_ucast_inst_response.bin"); // RESP_SIZE 0x58 = 88
  b[1] = 0x59;
  auto e = decode_fails(b);
  CHECK(e.offset == 1);
  CHECK(e.what == "RESP_SIZE says 89 bytes of RESP_DATA but 88 follow");
  b[1] = 0x57;
  CHECK(decode_fails(b).what == "RESP_SIZE says 87 bytes of RESP_DATA but 88 follow");
  // Big-endian by mistake: 00 58 reads as 0x5800.
  b[1] = 0x00;
  b[2] = 0x58;
  CHECK(decode_fails(b).what == "RESP_SIZE says 22528 bytes of RESP_DATA but 88 follow");
  // A trailing byte the size does not count.
  b = corpus("mc_sqlr_4_2_ucast_inst_response.bin");
  b.push_back(';');
  CHECK(decode_fails(b).what == "RESP_SIZE says 88 bytes of RESP_DATA but 89 follow");
}

TEST_CASE("ssrp: truncated answers fail cleanly at every length") {
  const auto full = corpus("mc_sqlr_4_1_ucast_ex_response.bin");
  for (std::size_t n = 0; n < full.size(); ++n) {
    const bytes prefix(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(n));
    CAPTURE(n);
    CHECK_FALSE(ssrp::decode_response(prefix, ssrp::request_kind::ucast_ex));
    CHECK_FALSE(ssrp::decode_dac_response(prefix));
    CHECK_FALSE(ssrp::decode_request(prefix));
  }
  CHECK(decode_fails(bytes{}).what == "empty datagram");
  CHECK(decode_fails(bytes{0x05, 0x47}).what == "message ends inside RESP_SIZE");
  // Cut text with a size that matches it: the record itself is unfinished.
  auto e = decode_fails(answer("ServerName;H;InstanceName;A;IsClustered;No;Version;1.0;tcp;1433"));
  CHECK(e.what == "record ends inside tcp's value (no ';' follows)");
  CHECK(e.offset == 3 + std::string("ServerName;H;InstanceName;A;IsClustered;No;Version;1.0;tcp;").size());
  e = decode_fails(answer("ServerName;H;InstanceName;A;IsClustered;No;Version;1.0;tcp;1433;"));
  CHECK(e.what == "record does not end with ;;");
  e = decode_fails(answer("ServerName;H;InstanceName;A;IsClust"));
  CHECK(e.what == "expected IsClustered, found \"IsClust\"");
}

TEST_CASE("ssrp: a record without InstanceName") {
  const auto e = decode_fails(answer("ServerName;X;IsClustered;No;Version;15.0.2000.5;tcp;1433;;"));
  CHECK(e.offset == 3 + 13);
  CHECK(e.what == "expected InstanceName, found \"IsClustered\"");
  // The second record of three lacks it: the error points into that record.
  const std::string first = "ServerName;X;InstanceName;A;IsClustered;No;Version;1.0;;";
  const auto e2 = decode_fails(answer(first + "ServerName;X;Version;1.0;;"));
  CHECK(e2.offset == 3 + first.size() + 13);
  CHECK(e2.what == "expected InstanceName, found \"Version\"");
}

TEST_CASE("ssrp: malformed records") {
  const std::string head = "ServerName;H;InstanceName;A;IsClustered;No;Version;1.0;";
  const auto fails = [&](const std::string& tail) { return decode_fails(answer(head + tail)); };

  CHECK(fails("tcp;1433;tcp;1434;;").what == "protocol tcp appears twice in one record");
  CHECK(fails("tcp;0;;").what == "tcp port \"0\" is not a number from 1 to 65535");
  CHECK(fails("tcp;65536;;").what == "tcp port \"65536\" is not a number from 1 to 65535");
  CHECK(fails("tcp;14a3;;").what == "tcp port \"14a3\" is not a number from 1 to 65535");
  CHECK(fails("tcp;+1433;;").what == "tcp port \"+1433\" is not a number from 1 to 65535");
  CHECK(fails("tcp; 1433;;").what == "tcp port \" 1433\" is not a number from 1 to 65535");
  CHECK(fails("tcp;;;").what == "tcp port \"\" is not a number from 1 to 65535");
  CHECK(fails("tcp;99999999999999999999;;").what == "tcp port \"99999999999999999999\" is not a number from 1 to 65535");
  CHECK(decode_ok(answer(head + "tcp;01433;;"))[0].tcp == 1433);
  CHECK(decode_ok(answer(head + "tcp;65535;;"))[0].tcp == 65535);

  const auto e = fails("tcp;x;;");
  CHECK(e.offset == 3 + head.size() + 4);

  CHECK(fails("via;NOLISTENER;;").what == "via parameters \"NOLISTENER\" has no listener (NETBIOS,nic:port)");
  CHECK(fails("via;H,0;;").what == "via parameters \"H,0\" has a listener \"0\" without nic:port");
  CHECK(fails("via;SIXTEENBYTESNAME,0:1;;").what == "via parameters \"SIXTEENBYTESNAME,0:1\" has a NetBIOS name of 16 bytes; at most 15");
  CHECK(fails("bv;item;group;;").what == "record does not end with ;;"); // ";;" was bv's empty org name
  CHECK(fails("bv;item;;").what == "record ends inside bv's organization name (no ';' follows)");
  CHECK(fails("np;" + std::string(256, 'p') + ";;").what == "np parameters are 256 bytes; clients reject more than 255");
  CHECK(decode_ok(answer(head + "np;" + std::string(255, 'p') + ";;"))[0].np->size() == 255);
  CHECK(fails("Version;2;;").what == "keyword \"Version\" inside the protocol list");
  CHECK(fails("tcp;1433;;garbage").what == "text after the record's closing ;; is not a new ServerName record");

  CHECK(decode_fails(answer("ServerName;H;InstanceName;A;IsClustered;Maybe;Version;1.0;;")).what ==
        "IsClustered is \"Maybe\", not Yes or No");
  CHECK(decode_fails(answer("ServerName;H;InstanceName;A;IsClustered;No;Version;15.0a;;")).what ==
        "Version \"15.0a\" is not 1 to 16 digits and dots");
  CHECK(decode_fails(answer("ServerName;H;InstanceName;A;IsClustered;No;Version;15.0.2000.5.1.2.3;;")).what ==
        "Version \"15.0.2000.5.1.2.3\" is not 1 to 16 digits and dots");
  CHECK(decode_fails(answer("ServerName;H;InstanceName;A;IsClustered;No;Version;;;")).what ==
        "Version \"\" is not 1 to 16 digits and dots");
  CHECK(decode_fails(answer("ServerName;" + std::string(256, 's') + ";InstanceName;A;IsClustered;No;Version;1;;")).what ==
        "ServerName is 256 bytes; at most 255");
  CHECK(decode_fails(answer("InstanceName;A;IsClustered;No;Version;1;;")).what ==
        "RESP_DATA does not start with ServerName; but \"InstanceName;A;I\"");

  const auto nul = decode_fails(answer("ServerName;H\0;InstanceName;A;IsClustered;No;Version;1;;"s));
  CHECK(nul.offset == 3 + 12);
  CHECK(nul.what == "RESP_DATA contains a NUL byte");

  // A record over 1,024 bytes, even in an EX answer, where the whole may be larger.
  const std::string long_record = head + "np;" + std::string(250, 'p') + ";rpc;" + std::string(250, 'r') + ";spx;" +
                                  std::string(250, 's') + ";adsp;" + std::string(250, 'a') + ";;";
  const auto big = decode_fails(answer(long_record));
  CHECK(big.offset == 3);
  CHECK(long_record.size() == 1076);
  CHECK(big.what == "record is 1076 bytes; [MC-SQLR] allows 1,024 per instance");
}

TEST_CASE("ssrp: size limits depend on the request answered") {
  CHECK(ssrp::max_resp_data(ssrp::request_kind::ucast_inst) == 1024);
  CHECK(ssrp::max_resp_data(ssrp::request_kind::ucast_ex) == 65535);
  CHECK(ssrp::max_resp_data(ssrp::request_kind::bcast_ex) == 65535);
  CHECK(ssrp::max_resp_data(ssrp::request_kind::ucast_dac) == 0);

  // Two records: fine for CLNT_UCAST_EX, not as the answer to CLNT_UCAST_INST.
  const auto two = corpus("responder_ucast_ex_two_instances.bin");
  CHECK(decode_ok(two).size() == 2);
  const auto e = decode_fails(two, ssrp::request_kind::ucast_inst);
  CHECK(e.offset == 3);
  CHECK(e.what == "an answer to CLNT_UCAST_INST carries 2 records, not one");
  CHECK(decode_fails(answer(""), ssrp::request_kind::ucast_inst).what ==
        "an answer to CLNT_UCAST_INST carries 0 records, not one");
  CHECK(decode_ok(answer("")).empty()); // the ABNF allows an EX answer without records

  // Over 1,024 bytes of RESP_DATA: too much for CLNT_UCAST_INST, fine for the EX forms.
  std::string text;
  std::vector<ssrp::instance> many;
  for (int i = 0; text.size() <= 5000; ++i) {
    auto r = make("HOST", "INST" + std::to_string(i), "16.0.1000.6");
    r.tcp = static_cast<std::uint16_t>(50000 + i);
    r.np = "\\\\HOST\\pipe\\MSSQL$INST" + std::to_string(i) + "\\sql\\query";
    text += *ssrp::encode_instance(r);
    many.push_back(r);
  }
  const auto big = answer(text);
  CHECK(decode_ok(big) == many); // beyond microsoft_client_ex_limit, still valid
  CHECK(text.size() > ssrp::microsoft_client_ex_limit);
  const auto e2 = decode_fails(big, ssrp::request_kind::ucast_inst);
  CHECK(e2.offset == 3);
  CHECK(e2.what == "RESP_DATA is " + std::to_string(text.size()) +
                       " bytes; an answer to CLNT_UCAST_INST may carry at most 1024");
  CHECK(ssrp::build_response(many, ssrp::request_kind::ucast_ex) == big);
}

TEST_CASE("ssrp: records round-trip through the builders") {
  auto a = make("EDGEPROBE", "MSSQLSERVER", "15.0.2000.5");
  a.tcp = 1433;
  a.np = R"(\\EDGEPROBE\pipe\sql\query)";
  auto b = make("NODE1", "FCI", "16.0.1000.6");
  b.is_clustered = true;
  b.tcp = 50123;
  b.np = "";            // an empty value: written as "np;;"
  b.rpc = "NODE1";
  b.via = ssrp::via_parameters{"NODE1", {{"0", "1433"}, {"1", "1500"}}};
  b.spx = "S";
  b.adsp = "A";
  b.bv = ssrp::bv_parameters{"", "g", ""};
  b.others = {{"zeta", ""}, {"alpha", "2"}};
  auto c = make("", "", "9");

  const std::vector<ssrp::instance> records{a, b, c};
  const auto wire = ssrp::build_response(records, ssrp::request_kind::ucast_ex);
  REQUIRE(wire);
  CHECK(decode_ok(*wire) == records);

  // tcp before np, as SQL Server and the spec's examples write them (FreeTDS relies on it).
  CHECK(*ssrp::encode_instance(a) ==
        R"(ServerName;EDGEPROBE;InstanceName;MSSQLSERVER;IsClustered;No;Version;15.0.2000.5;tcp;1433;np;\\EDGEPROBE\pipe\sql\query;;)");
  CHECK(*ssrp::encode_instance(b) ==
        "ServerName;NODE1;InstanceName;FCI;IsClustered;Yes;Version;16.0.1000.6;tcp;50123;np;;"
        "via;NODE1,0:1433,1:1500;rpc;NODE1;spx;S;adsp;A;bv;;g;;zeta;;alpha;2;;");
  CHECK(*ssrp::encode_instance(c) == "ServerName;;InstanceName;;IsClustered;No;Version;9;;");

  // Re-encoding the spec's example gives the spec's bytes back.
  const auto spec = corpus("mc_sqlr_4_1_ucast_ex_response.bin");
  CHECK(ssrp::build_response(decode_ok(spec), ssrp::request_kind::ucast_ex) == spec);
  const auto spec_inst = corpus("mc_sqlr_4_2_ucast_inst_response.bin");
  CHECK(ssrp::build_response(decode_ok(spec_inst), ssrp::request_kind::ucast_inst) == spec_inst);

  const std::vector<ssrp::instance> one{a};
  CHECK(ssrp::build_response(one, ssrp::request_kind::ucast_inst));
  CHECK_FALSE(ssrp::build_response(records, ssrp::request_kind::ucast_inst));
  CHECK_FALSE(ssrp::build_response(one, ssrp::request_kind::ucast_dac));
  CHECK(ssrp::build_response({}, ssrp::request_kind::ucast_ex) == bytes{0x05, 0x00, 0x00});
}

TEST_CASE("ssrp: the encoder refuses what would not decode back to the same record") {
  const auto refused = [](auto change) {
    auto r = make("H", "I", "1.0");
    change(r);
    return !ssrp::encode_instance(r).has_value();
  };
  CHECK(refused([](auto& r) { r.server_name = "a;b"; }));
  CHECK(refused([](auto& r) { r.instance_name = std::string("a\0b", 3); }));
  CHECK(refused([](auto& r) { r.version = ""; }));
  CHECK(refused([](auto& r) { r.version = "15.0-rc"; }));
  CHECK(refused([](auto& r) { r.tcp = 0; }));
  CHECK(refused([](auto& r) { r.np = "x;y"; }));
  CHECK(refused([](auto& r) { r.np = std::string(256, 'p'); }));
  CHECK(refused([](auto& r) { r.server_name = std::string(256, 's'); }));
  CHECK(refused([](auto& r) { r.via = ssrp::via_parameters{"H", {}}; }));
  CHECK(refused([](auto& r) { r.via = ssrp::via_parameters{"H,X", {{"0", "1"}}}; }));
  CHECK(refused([](auto& r) { r.via = ssrp::via_parameters{"H", {{"0:1", "1"}}}; }));
  CHECK(refused([](auto& r) { r.via = ssrp::via_parameters{std::string(16, 'n'), {{"0", "1"}}}; }));
  CHECK(refused([](auto& r) { r.bv = ssrp::bv_parameters{"a;b", "g", "o"}; }));
  // "bv;;ServerName;x" would read as the start of the next record.
  CHECK(refused([](auto& r) { r.bv = ssrp::bv_parameters{"", "ServerName", "x"}; }));
  CHECK(refused([](auto& r) { r.others = {{"", "v"}}; }));
  CHECK(refused([](auto& r) { r.others = {{"TCP", "1433"}}; }));
  CHECK(refused([](auto& r) { r.others = {{"servername", "x"}}; }));
  CHECK(refused([](auto& r) {
    r.np = std::string(250, 'p');
    r.rpc = std::string(250, 'r');
    r.spx = std::string(250, 's');
    r.adsp = std::string(250, 'a');
  }));
}

TEST_CASE("ssrp: answers that nmap and FreeTDS read back") {
  // nmap 7.93's mssql library (SSRP.DiscoverInstances) and `tsql -LH 127.0.0.1`
  // printed exactly these instances from this file.
  const auto two = decode_ok(corpus("responder_ucast_ex_two_instances.bin"));
  REQUIRE(two.size() == 2);
  CHECK(two[0].server_name == "EDGEPROBE");
  CHECK(two[0].instance_name == "MSSQLSERVER");
  CHECK_FALSE(two[0].is_clustered);
  CHECK(two[0].version == "15.0.2000.5");
  CHECK(two[0].tcp == 41433);
  CHECK(two[0].np == R"(\\EDGEPROBE\pipe\sql\query)");
  CHECK(two[1].instance_name == "SQLEXPRESS");
  CHECK(two[1].is_clustered);
  CHECK(two[1].version == "16.0.1000.6");
  CHECK(two[1].tcp == 41434);
  CHECK(two[1].np == R"(\\EDGEPROBE\pipe\MSSQL$SQLEXPRESS\sql\query)");
  CHECK(ssrp::build_response(two, ssrp::request_kind::ucast_ex) == corpus("responder_ucast_ex_two_instances.bin"));

  // FreeTDS asked CLNT_UCAST_INST for SQLEXPRESS, took this answer and connected to 41434.
  const auto inst = decode_ok(corpus("responder_ucast_inst_sqlexpress.bin"), ssrp::request_kind::ucast_inst);
  REQUIRE(inst.size() == 1);
  CHECK(inst[0] == two[1]);
  CHECK(ssrp::build_response(inst, ssrp::request_kind::ucast_inst) == corpus("responder_ucast_inst_sqlexpress.bin"));
  const auto all = corpus("responder_ucast_ex_all_tokens.bin");
  CHECK(ssrp::build_response(decode_ok(all), ssrp::request_kind::ucast_ex) == all);
}

TEST_CASE("ssrp: instance names compare without case") {
  CHECK(ssrp::same_instance_name("SQLExpress", "SQLEXPRESS"));
  CHECK(ssrp::same_instance_name("mssqlserver", "MSSQLSERVER"));
  CHECK_FALSE(ssrp::same_instance_name("SQLEXPRESS", "SQLEXPRESS2"));
  CHECK(ssrp::request_name(ssrp::request_kind::ucast_dac) == "CLNT_UCAST_DAC");
  CHECK(ssrp::request_name(ssrp::request_kind::bcast_ex) == "CLNT_BCAST_EX");
}

} // TEST_SUITE
