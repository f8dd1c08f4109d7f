// The udp probe's configuration: defaults, bytes and patterns, and every
// semantic error configure() must report.
#include "core/registry.hpp"
#include "core/suite_loader.hpp"
#include "probes/modules.hpp"
#include "probes/udp/options.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace edgeprobe;
using json = nlohmann::json;

namespace {

struct collected final : config_errors {
  std::vector<std::string> pointers;
  void add(std::string pointer, std::string, std::string) override { pointers.push_back(std::move(pointer)); }
};

std::string bytes(std::initializer_list<std::uint8_t> b) { return {b.begin(), b.end()}; }

} // namespace

TEST_CASE("udp options: defaults are an empty datagram, 2 retransmissions, expect open") {
  collected errors;
  const auto c = parse_udp_config(json::object(), errors);
  CHECK(errors.pointers.empty());
  CHECK(c->payload.empty());
  CHECK(c->retransmissions == 2);
  CHECK(c->source_port == 0);
  CHECK_FALSE(c->responder);
  CHECK(c->state == udp_state::open);
  CHECK_FALSE(c->reply);
  CHECK_FALSE(c->no_translation);
}

TEST_CASE("udp options: send takes text or hex, exactly those bytes") {
  collected errors;
  auto c = parse_udp_config({{"send", {{"text", "ping\r\n"}}}}, errors);
  CHECK(c->payload == "ping\r\n");
  c = parse_udp_config({{"send", {{"hex", "de ad:BE ef 00"}}}}, errors);
  CHECK(c->payload == bytes({0xde, 0xad, 0xbe, 0xef, 0x00}));
  c = parse_udp_config({{"send", {{"hex", ""}}}, {"source_port", 40000}, {"retransmissions", 0}, {"responder", true},
                        {"expect", {{"state", "not_open"}, {"no_translation", true}}}},
                       errors);
  CHECK(errors.pointers.empty());
  CHECK(c->payload.empty());
  CHECK(c->source_port == 40000);
  CHECK(c->retransmissions == 0);
  CHECK(c->responder);
  CHECK(c->state == udp_state::not_open);
  CHECK(c->no_translation);
}

TEST_CASE("udp options: semantic errors are reported with their pointers") {
  const std::vector<std::pair<json, std::string>> cases = {
      {{{"send", {{"hex", "0g"}}}}, "/send/hex"},
      {{{"send", {{"hex", "abc"}}}}, "/send/hex"},
      {{{"send", {{"text", "a"}, {"hex", "61"}}}}, "/send"},
      {{{"send", "plain string"}}, "/send"},
      {{{"expect", {{"reply", "(unclosed"}}}}, "/expect/reply"},
      {{{"expect", {{"reply", {{"hex", "zz"}}}}}}, "/expect/reply/hex"},
      {{{"expect", {{"state", "closed"}, {"reply", "x"}}}}, "/expect/reply"},
  };
  for (const auto& [check, pointer] : cases) {
    CAPTURE(check.dump());
    collected errors;
    parse_udp_config(check, errors);
    REQUIRE(errors.pointers.size() == 1);
    CHECK(errors.pointers.front() == pointer);
  }
}

// configure() relies on the loader for types and ranges (the specs say them):
// a wrong one is the loader's error, at its pointer, and never reaches it.
TEST_CASE("udp options: wrong types and ranges are the loader's errors, with their pointers") {
  const std::vector<std::pair<json, std::string>> cases = {
      {{{"source_port", 0}}, "/source_port"},
      {{{"source_port", true}}, "/source_port"},
      {{{"retransmissions", 11}}, "/retransmissions"},
      {{{"responder", "yes"}}, "/responder"},
      {{{"expect", {{"state", "half_open"}}}}, "/expect/state"},
      {{{"expect", {{"no_translation", 1}}}}, "/expect/no_translation"},
  };
  for (const auto& [options, pointer] : cases) {
    CAPTURE(options.dump());
    json check = {{"name", "c"}, {"probe", "udp"}, {"target", "127.0.0.1:9"}};
    check.update(options);
    const json suite = {{"suite", "t"}, {"checks", json::array({check})}};
    const auto loaded = load_suite_text(suite.dump(), "t.json", ".", {.probes = builtin_probes()});
    REQUIRE(loaded.errors.size() == 1);
    CHECK(loaded.errors.front().pointer == "/checks/0" + pointer);
  }
}

TEST_CASE("udp options: a reply pattern is a regex searched in the answer, or a hex prefix") {
  collected errors;
  auto c = parse_udp_config({{"expect", {{"reply", "probe=udp you=127\\.0\\.0\\.1:\\d+"}}}}, errors);
  REQUIRE(c->reply);
  CHECK(c->reply->matches("EDGEPROBE-RESPONDER/1 probe=udp you=127.0.0.1:4000 me=127.0.0.1:53\r\n"));
  CHECK_FALSE(c->reply->matches("EDGEPROBE-RESPONDER/1 probe=tcp you=127.0.0.1:4000"));
  c = parse_udp_config({{"expect", {{"reply", {{"hex", "05 1a"}}}}}}, errors);
  REQUIRE(c->reply);
  CHECK(c->reply->matches(bytes({0x05, 0x1a, 0x00})));
  CHECK_FALSE(c->reply->matches(bytes({0x00, 0x05, 0x1a})));
  CHECK_FALSE(c->reply->matches(bytes({0x05})));
  CHECK(errors.pointers.empty());
}

TEST_CASE("udp options: every option and expectation is declared with help text") {
  const auto* udp = builtin_probes().find("udp");
  REQUIRE(udp);
  std::vector<std::string> keys;
  for (const auto& o : udp->options().options) {
    CHECK_FALSE(o.help.empty());
    keys.emplace_back(o.key);
  }
  for (const auto& o : udp->options().expect) {
    CHECK_FALSE(o.help.empty());
    keys.emplace_back("expect." + std::string(o.key));
  }
  CHECK(keys == std::vector<std::string>{"send", "source_port", "retransmissions", "responder", "expect.state",
                                         "expect.reply", "expect.no_translation"});
}
