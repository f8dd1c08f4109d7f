// Secrets with bytes that every layer escapes differently (UTF-8, a tab, a
// backslash, a double quote, `<`) echoed back by a server on loopback: no four
// bytes of them may reach any output, as sent or in any escaped form a report
// could show them in. And a secret inside an invalid pattern is not quoted by
// the load error.
#include "support/io_thread.hpp"
#include "support/process.hpp"
#include "support/serve_process.hpp"
#include "support/temp_dir.hpp"

#include "net/tcp_responder.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <memory>
#include <string>
#include <thread>
#include <vector>

using edgeprobe::test::run_edgeprobe;

namespace {

// The test's own idea of how the project could show bytes, written from the
// formats' specifications rather than taken from the code under test, so a
// form the code forgets is still looked for.
std::string c_escaped(std::string_view bytes, bool upper_hex) {
  std::string out;
  for (const char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    char hex[8];
    if (c == '\t') out += "\\t";
    else if (c == '\\') out += "\\\\";
    else if (c >= 0x20 && c < 0x7f) out += ch;
    else {
      std::snprintf(hex, sizeof hex, upper_hex ? "\\x%02X" : "\\x%02x", c);
      out += hex;
    }
  }
  return out;
}

// Every byte outside printable ASCII as \xNN, `\` kept (DCE/RPC names).
std::string hex_escaped_keeping_backslash(std::string_view bytes) {
  std::string out;
  for (const char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    char hex[8];
    if (c >= 0x20 && c < 0x7f) out += ch;
    else {
      std::snprintf(hex, sizeof hex, "\\x%02x", c);
      out += hex;
    }
  }
  return out;
}

std::string hex_digits(std::string_view bytes) {
  std::string out;
  char hex[4];
  for (const char ch : bytes) {
    std::snprintf(hex, sizeof hex, "%02x", static_cast<unsigned char>(ch));
    out += hex;
  }
  return out;
}

// A JSON string's content: `"`, `\` and controls escaped; other bytes as is
// (nlohmann's default) or, with `ascii`, as \u escapes of their code points.
std::string json_escaped(std::string_view bytes, bool ascii) {
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const auto c = static_cast<unsigned char>(bytes[i]);
    char hex[16];
    if (c == '"') out += "\\\"";
    else if (c == '\\') out += "\\\\";
    else if (c == '\t') out += "\\t";
    else if (c < 0x20) {
      std::snprintf(hex, sizeof hex, "\\u%04x", c);
      out += hex;
    } else if (ascii && c >= 0xc0 && c < 0xe0 && i + 1 < bytes.size()) {
      const unsigned cp = (c & 0x1fu) << 6 | (static_cast<unsigned char>(bytes[i + 1]) & 0x3fu);
      std::snprintf(hex, sizeof hex, "\\u%04x", cp);
      out += hex;
      ++i;
    } else out += static_cast<char>(c);
  }
  return out;
}

// `\` and `"` after a backslash only: Prometheus label values, TAP.
std::string backslash_escaped(std::string_view bytes) {
  std::string out;
  for (const char c : bytes) {
    if (c == '\\' || c == '"') out += '\\';
    out += c;
  }
  return out;
}

// XML and HTML: named entities, or numeric ones (decimal, hex).
std::string entity_escaped(std::string_view bytes, int style) {
  static const std::map<char, std::vector<std::string>> entities{
      {'<', {"&lt;", "&#60;", "&#x3c;"}},   {'>', {"&gt;", "&#62;", "&#x3e;"}},
      {'&', {"&amp;", "&#38;", "&#x26;"}},  {'"', {"&quot;", "&#34;", "&#x22;"}},
      {'\'', {"&apos;", "&#39;", "&#x27;"}}, {'\t', {"&#9;", "&#9;", "&#x9;"}}};
  std::string out;
  for (const char c : bytes) {
    const auto it = entities.find(c);
    out += it == entities.end() ? std::string(1, c) : it->second[static_cast<std::size_t>(style)];
  }
  return out;
}

// Every way each four-byte window of `secret` could appear in a report.
std::set<std::string> window_forms(const std::string& secret) {
  std::set<std::string> forms;
  for (std::size_t i = 0; i + 4 <= secret.size(); ++i) {
    const std::string_view w(secret.data() + i, 4);
    for (const auto& shown : {std::string(w), c_escaped(w, false), c_escaped(w, true),
                              hex_escaped_keeping_backslash(w), hex_digits(w)}) {
      forms.insert(shown);
      forms.insert(json_escaped(shown, false));
      forms.insert(json_escaped(shown, true));
      forms.insert(backslash_escaped(shown));
      for (int style = 0; style < 3; ++style) forms.insert(entity_escaped(shown, style));
    }
  }
  return forms;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Each form of each secret found in `text`, for the failure message.
std::vector<std::string> leaks(const std::string& text, const std::vector<std::string>& secrets) {
  std::vector<std::string> found;
  for (const auto& secret : secrets)
    for (const auto& form : window_forms(secret))
      if (text.find(form) != std::string::npos) found.push_back(form);
  return found;
}

// A server on loopback that echoes what it gets, and a suite whose checks
// send it secrets from ${env:} and ${file:}: whole, and padded so that the
// evidence cuts the secret after its first bytes.
struct echoed_secrets {
  // pä<TAB>ss\wö"rd<Zq9 and Fï<TAB>le\"sec<ret&Wm4
  const std::string env_secret = "p\xc3\xa4\tss\\w\xc3\xb6\"rd<Zq9";
  const std::string file_secret = "F\xc3\xaf\tle\\\"sec<ret&Wm4";
  // escape_bytes shows 200 bytes: this padding leaves the secret's first 6
  // bytes before the cut, which must not survive either.
  const std::string padding = std::string(194, 'A');
  edgeprobe::test::io_thread io;
  std::unique_ptr<edgeprobe::tcp_responder> echo;
  edgeprobe::test::temp_dir dir;
  std::filesystem::path suite;

  echoed_secrets() {
    ::setenv("EDGEPROBE_LEAK_TEST_SECRET", env_secret.c_str(), 1);
    edgeprobe::tcp_responder_options silent; // no greeting: the bytes read are the echo alone
    silent.silent = true;
    echo = std::make_unique<edgeprobe::tcp_responder>(io.executor(),
                                                      boost::asio::ip::tcp::endpoint{boost::asio::ip::make_address("127.0.0.1"), 0},
                                                      silent);
    echo->start();
    const auto target = "127.0.0.1:" + std::to_string(echo->local_endpoint().port());
    dir.write("secret.txt", file_secret + "\n");
    const std::string check = R"("probe": "tcp", "target": ")" + target + R"(", "timeout": "1s", )";
    suite = dir.write("leak.json", R"({"suite": "leak", "checks": [
      {"name": "echo env", )" + check + R"("send": {"text": "ECHO:${env:EDGEPROBE_LEAK_TEST_SECRET}\n"},
       "expect": {"banner": "^NEVER"}},
      {"name": "echo file", )" + check + R"("send": {"text": "ECHO:${file:secret.txt}\n"},
       "expect": {"banner": "^NEVER"}},
      {"name": "echo cut", )" + check + R"("send": {"text": ")" + padding + R"(${env:EDGEPROBE_LEAK_TEST_SECRET}"},
       "expect": {"banner": "^NEVER"}},
      {"name": "echo matched", )" + check + R"("send": {"text": "ECHO:${file:secret.txt}"},
       "expect": {"banner": "ECHO"}}
    ]})");
  }
  ~echoed_secrets() {
    echo->stop();
    ::unsetenv("EDGEPROBE_LEAK_TEST_SECRET");
  }

  // CHECKs that `text` holds no form of any window of either secret.
  void check_clean(const std::string& name, const std::string& text) const {
    CAPTURE(name);
    const auto found = leaks(text, {env_secret, file_secret});
    std::string shown;
    for (const auto& f : found) shown += "[" + f + "] ";
    INFO("leaked forms: ", shown);
    CHECK(found.empty());
  }
};

} // namespace

TEST_SUITE("cli") {

TEST_CASE("secret leak: an echoed secret with UTF-8, tab, backslash, quote and < appears in none of the seven "
          "formats, in no escaped form, not even cut short") {
  echoed_secrets setup;
  const std::vector<std::string> formats{"json", "junit", "tap", "nagios", "prometheus", "html"};
  std::vector<std::string> args{"run", setup.suite.string(), "--format", "human", "-v"};
  for (const auto& format : formats) {
    args.push_back("--report");
    args.push_back(format + "=" + (setup.dir.path() / ("report." + format)).string());
  }
  const auto r = run_edgeprobe(args);
  CHECK(r.exit_code == 1); // three banners do not match

  std::map<std::string, std::string> outputs{{"stdout (human)", r.out}, {"stderr", r.err}};
  for (const auto& format : formats) outputs[format] = read_file(setup.dir.path() / ("report." + format));
  for (const auto& format : formats) CHECK_MESSAGE(!outputs[format].empty(), format);

  // The echo did come back, and was there to redact.
  const auto doc = nlohmann::json::parse(outputs["json"]);
  REQUIRE(doc["results"].size() == 4);
  CHECK(doc["results"][3]["status"] == "pass");
  CHECK(outputs["json"].find("ECHO:***") != std::string::npos);
  CHECK(outputs["json"].find(setup.padding.substr(0, 100)) != std::string::npos);

  for (const auto& [name, text] : outputs) setup.check_clean(name, text);
}

TEST_CASE("secret leak: serve's status page, /probe, /api/v1/results and /metrics show no echoed secret") {
  echoed_secrets setup;
  const auto config = setup.dir.write("serve.json", R"({"listen": "127.0.0.1:0", "suites": [
    {"file": "leak.json", "interval": "1h"}]})");
  edgeprobe::test::serve_process serve(config);
  edgeprobe::test::http_reply results;
  for (int i = 0; i < 100; ++i) { // the first run takes the checks' 1 s deadline
    results = edgeprobe::test::curl_get(serve.url() + "/api/v1/results");
    if (results.body.find("echo matched") != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  REQUIRE(results.body.find("echo matched") != std::string::npos);
  setup.check_clean("/api/v1/results", results.body);
  CHECK(results.body.find("ECHO:***") != std::string::npos); // the echo was there to redact
  const auto probe = edgeprobe::test::curl_get(serve.url() + "/probe?suite=leak");
  CHECK(probe.body.find("echo matched") != std::string::npos);
  setup.check_clean("/probe", probe.body);
  const auto page = edgeprobe::test::curl_get(serve.url() + "/");
  CHECK(page.body.find("ECHO:***") != std::string::npos);
  setup.check_clean("/", page.body);
  setup.check_clean("/metrics", edgeprobe::test::curl_get(serve.url() + "/metrics").body);
  CHECK(serve.process().stop(SIGTERM) == 0);
}

TEST_CASE("secret leak: validate quotes no part of a secret inside an invalid regex, target or duration") {
  const std::string secret = "Master2Secret-Kq7v";
  ::setenv("EDGEPROBE_LEAK_TEST_PATTERN", secret.c_str(), 1);
  edgeprobe::test::temp_dir dir;
  const auto suite = dir.write("bad.json", R"({"suite": "bad", "checks": [
    {"name": "a", "probe": "tcp", "target": "127.0.0.1:1",
     "expect": {"banner": "^${env:EDGEPROBE_LEAK_TEST_PATTERN}(x"}},
    {"name": "b", "probe": "tcp", "target": "127.0.0.1:1",
     "expect": {"banner": "*${env:EDGEPROBE_LEAK_TEST_PATTERN}"}},
    {"name": "c", "probe": "tcp", "target": "${env:EDGEPROBE_LEAK_TEST_PATTERN}:http"},
    {"name": "d", "probe": "tcp", "target": "127.0.0.1:1", "timeout": "${env:EDGEPROBE_LEAK_TEST_PATTERN}"}
  ]})");
  const auto r = run_edgeprobe({"validate", suite.string()});
  INFO(r.err);
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("/checks/0/expect/banner") != std::string::npos);
  CHECK(r.err.find("unmatched parenthesis") != std::string::npos);
  CHECK(r.err.find("/checks/1/expect/banner") != std::string::npos);
  CHECK(r.err.find("/checks/2/target") != std::string::npos);
  CHECK(r.err.find("/checks/3/timeout") != std::string::npos);
  const auto found = leaks(r.out + r.err, {secret});
  std::string shown;
  for (const auto& f : found) shown += "[" + f + "] ";
  INFO("leaked forms: ", shown);
  CHECK(found.empty());
  ::unsetenv("EDGEPROBE_LEAK_TEST_PATTERN");
}

} // TEST_SUITE
