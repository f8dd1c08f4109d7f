#include "net/responder_greeting.hpp"

#include "net/endpoint_text.hpp"

#include <charconv>

namespace edgeprobe {

namespace {

constexpr std::string_view magic = "EDGEPROBE-RESPONDER/1 ";
constexpr std::size_t max_line = 200; // longer than any valid greeting

bool parse_endpoint(std::string_view text, std::string& address, std::uint16_t& port) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  std::string_view host = text.substr(0, colon);
  const bool bracketed = host.front() == '[';
  if (bracketed) {
    if (host.size() < 3 || host.back() != ']') return false;
    host = host.substr(1, host.size() - 2);
  }
  // Responders write IP literals only, IPv6 (and only IPv6) in brackets; this
  // keeps what parses equal to what endpoint_text writes back (fuzzing found
  // "[[0]:1", which came back as "[0:1").
  // A NUL would end the text inet_pton reads, and the bytes after it would
  // come back (fuzzing found this too).
  if (host.find('\0') != std::string_view::npos) return false;
  boost::system::error_code bad;
  const auto ip = boost::asio::ip::make_address(std::string(host), bad);
  if (bad || ip.is_v6() != bracketed) return false;
  const std::string_view digits = text.substr(colon + 1);
  unsigned value = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc{} || end != digits.data() + digits.size() || value > 65535) return false;
  address.assign(host);
  port = static_cast<std::uint16_t>(value);
  return true;
}

// Returns the value of `key=` in `line` (fields are space separated).
std::optional<std::string_view> field(std::string_view line, std::string_view key) {
  std::size_t pos = 0;
  while (pos < line.size()) {
    std::size_t end = line.find(' ', pos);
    if (end == std::string_view::npos) end = line.size();
    const std::string_view item = line.substr(pos, end - pos);
    if (item.size() > key.size() && item.substr(0, key.size()) == key && item[key.size()] == '=')
      return item.substr(key.size() + 1);
    pos = end + 1;
  }
  return std::nullopt;
}

} // namespace

std::string format_greeting(const responder_greeting& g) {
  std::string line(magic);
  line.append("probe=").append(g.responder);
  line.append(" you=").append(endpoint_text(g.you_address, g.you_port));
  line.append(" me=").append(endpoint_text(g.me_address, g.me_port));
  line.append("\r\n");
  return line;
}

std::optional<responder_greeting> parse_greeting(std::string_view bytes) {
  if (bytes.substr(0, magic.size()) != magic) return std::nullopt;
  const auto eol = bytes.find("\r\n");
  if (eol == std::string_view::npos || eol > max_line) return std::nullopt;
  const std::string_view line = bytes.substr(magic.size(), eol - magic.size());

  responder_greeting g;
  const auto probe = field(line, "probe");
  const auto you = field(line, "you");
  const auto me = field(line, "me");
  if (!probe || probe->empty() || !you || !me) return std::nullopt;
  g.responder.assign(*probe);
  if (!parse_endpoint(*you, g.you_address, g.you_port) || !parse_endpoint(*me, g.me_address, g.me_port))
    return std::nullopt;
  return g;
}

boost::asio::ip::address unmapped(const boost::asio::ip::address& a) {
  if (a.is_v6() && a.to_v6().is_v4_mapped())
    return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, a.to_v6());
  return a;
}

greeting_comparison compare_greeting(const responder_greeting& g, const boost::asio::ip::address& local_address,
                                     std::uint16_t local_port) {
  boost::system::error_code ec;
  const auto saw = boost::asio::ip::make_address(g.you_address, ec);
  greeting_comparison c;
  c.translated = ec || unmapped(saw) != unmapped(local_address) || g.you_port != local_port;
  c.seen = endpoint_text(ec ? g.you_address : unmapped(saw).to_string(), g.you_port);
  c.evidence = {{"responder", g.responder},
                {"saw", {{"address", g.you_address}, {"port", g.you_port}}},
                {"me", {{"address", g.me_address}, {"port", g.me_port}}},
                {"translated", c.translated}};
  return c;
}

} // namespace edgeprobe
