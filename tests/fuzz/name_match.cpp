// libFuzzer entry for certificate name matching: "PATTERN\nNAME" (either side
// may hold any bytes). Nothing may crash, and the rules' symmetries must hold:
// case and a trailing dot never change the answer, and a name covered through
// name_covered is covered through san_includes too.
#include "net/name_match.hpp"

#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

namespace {
std::string upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : static_cast<char>(c); });
  return s;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace edgeprobe;
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  const auto newline = bytes.find('\n');
  const std::string pattern = bytes.substr(0, newline);
  const std::string name = newline == std::string::npos ? pattern : bytes.substr(newline + 1);

  const bool matches = dns_name_matches(pattern, name);
  if (dns_name_matches(upper(pattern), name) != matches || dns_name_matches(pattern, upper(name)) != matches)
    std::abort();
  if (!name.empty() && name.back() != '.' && dns_name_matches(pattern, name + ".") != matches) std::abort();

  const std::vector<std::string> dns{pattern};
  const std::vector<std::string> ips{pattern};
  const bool covered = name_covered(name, dns, ips);
  if (name.find('*') == std::string::npos && covered != san_includes(name, dns, ips)) std::abort();
  return 0;
}
