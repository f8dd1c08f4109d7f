// libFuzzer entry for the SMTP reply parser the STARTTLS dialogue reads a
// server's bytes with: any bytes must parse, wait or be refused cleanly; a
// complete reply must account for exactly the bytes it consumed.
#include "probes/tls/smtp_reply.hpp"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace edgeprobe;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const auto r = parse_smtp_reply(bytes);
  (void)offers_starttls(r);
  if (r.parsed != smtp_reply::state::complete) return 0;
  if (r.code < 0 || r.code > 999 || r.lines.empty() || r.consumed == 0 || r.consumed > size ||
      bytes[r.consumed - 1] != '\n')
    std::abort();
  // The reply alone parses to the same reply.
  const auto again = parse_smtp_reply(bytes.substr(0, r.consumed));
  if (again.parsed != smtp_reply::state::complete || again.code != r.code || again.lines != r.lines) std::abort();
  return 0;
}
