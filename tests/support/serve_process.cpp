#include "support/serve_process.hpp"

#include <doctest/doctest.h>

#include <regex>

namespace edgeprobe::test {

serve_process::serve_process(const std::filesystem::path& config)
    : process_(std::make_unique<background_process>(
          std::vector<std::string>{EDGEPROBE_BINARY, "serve", "--config", config.string()}, true)) {
  const auto said = process_->read_until("; suites: ");
  std::smatch m;
  REQUIRE_MESSAGE(std::regex_search(said, m, std::regex(R"((https?://127\.0\.0\.1:(\d+)))")), said);
  url_ = m[1];
  port_ = static_cast<std::uint16_t>(std::stoi(m[2]));
}

http_reply curl_get(const std::string& url, const std::vector<std::string>& extra) {
  std::vector<std::string> argv{"curl", "-s", "-S", "--max-time", "20", "-D", "/dev/stderr", "-o", "-", "-w",
                                "\n%{http_code}"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  argv.push_back(url);
  const auto r = run_process(argv, std::chrono::seconds(30));
  http_reply out;
  out.headers = r.err;
  const auto last = r.out.rfind('\n');
  if (last == std::string::npos) return out;
  out.status = std::atoi(r.out.c_str() + last + 1);
  out.body = r.out.substr(0, last);
  return out;
}

} // namespace edgeprobe::test
