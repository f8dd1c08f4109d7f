// libFuzzer entry for the TDS PRELOGIN codec: any bytes must decode or fail
// cleanly as a packet, a client PRELOGIN and a server answer, and whatever the
// typed readers accept must build and read back to the same values.
#include "probes/sqlbrowser/prelogin.hpp"

#include <algorithm>
#include <cstdlib>

namespace {

using edgeprobe::tds::prelogin_option;

std::vector<prelogin_option> by_token(std::vector<prelogin_option> options) {
  std::stable_sort(options.begin(), options.end(), [](const auto& a, const auto& b) { return a.token < b.token; });
  return options;
}

// The builders refuse only packets over 65,535 bytes. Re-encoding can outgrow
// the original: it always writes INSTOPT from a client, and options whose data
// overlapped in the original each get their own copy.
bool fits(std::size_t options, std::size_t data) { return 8 + options * 5 + 1 + data <= 65535; }

std::size_t data_size(const std::vector<prelogin_option>& options) {
  std::size_t n = 0;
  for (const auto& o : options) n += o.data.size();
  return n;
}

void check(std::span<const std::uint8_t> bytes) {
  using namespace edgeprobe;
  (void)tds::framed_size(bytes);
  const auto packet = tds::decode_packet(bytes);

  const auto client = tds::parse_client_prelogin(bytes);
  const auto server = tds::parse_server_prelogin(bytes);
  // The typed readers check more than decode_packet, never less.
  if (!packet && (client || server)) std::abort();
  if (client && server) std::abort(); // a packet has one type
  if (packet)
    for (const auto& o : packet.value->options) (void)tds::option_name(o.token);

  if (client) {
    const auto& c = *client.value;
    (void)tds::encryption_name(c.encryption);
    (void)c.version.text();
    const auto wire = tds::build_client_prelogin(c);
    if (!wire) {
      const std::size_t typed = 3 + (c.thread_id ? 1 : 0) + (c.mars ? 1 : 0);
      const std::size_t typed_data = 6 + 1 + c.instance.size() + 1 + (c.thread_id ? 4 : 0) + (c.mars ? 1 : 0);
      if (fits(typed + c.others.size(), typed_data + data_size(c.others))) std::abort();
    } else {
      auto again = tds::parse_client_prelogin(*wire);
      if (!again) std::abort();
      auto expected = c;
      expected.others = by_token(expected.others);
      if (*again.value != expected) std::abort();
    }
  }

  if (server) {
    const auto& s = *server.value;
    (void)tds::encryption_name(s.encryption);
    const auto wire = tds::build_server_prelogin(s);
    if (!wire) {
      const std::size_t typed =
          2 + (s.instance_validity ? 1 : 0) + (s.mars ? 1 : 0) + (s.fed_auth_required ? 1 : 0);
      if (fits(typed + s.others.size(), typed + 5 + data_size(s.others))) std::abort();
    } else {
      auto again = tds::parse_server_prelogin(*wire);
      if (!again) std::abort();
      auto expected = s;
      expected.others = by_token(expected.others);
      if (*again.value != expected) std::abort();
    }
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  check(std::span(data, size));
  // A mutated packet rarely keeps its header length right; check it once more
  // with the length (and EOM) made to fit, so the option table sees the mutations too.
  if (size >= 8 && size <= 0xFFFF) {
    std::vector<std::uint8_t> fixed(data, data + size);
    fixed[1] |= 0x01;
    fixed[2] = static_cast<std::uint8_t>(size >> 8);
    fixed[3] = static_cast<std::uint8_t>(size & 0xFF);
    check(fixed);
  }
  return 0;
}
