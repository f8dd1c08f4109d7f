// libFuzzer entry for the DNS codec: any bytes must parse or fail cleanly, and
// whatever parses must encode and parse again to the same records.
#include "wire/dns/codec.hpp"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace edgeprobe;
  const auto parsed = dns::parse_message(std::span(data, size));
  if (!parsed) return 0;
  for (const auto* section : {&parsed.value->answers, &parsed.value->authority, &parsed.value->additional})
    for (const auto& r : *section) (void)dns::rdata_text(r);
  // Names that arrived with odd bytes come back escaped; encoding must undo that.
  const auto encoded = dns::encode_message(*parsed.value);
  // Everything the parser accepts (labels <= 63, names <= 255, strings <= 255) is encodable.
  if (!encoded) std::abort();
  const auto again = dns::parse_message(*encoded);
  if (!again || again.value->answers.size() != parsed.value->answers.size()) std::abort();
  for (std::size_t i = 0; i < again.value->answers.size(); ++i)
    if (dns::rdata_text(again.value->answers[i]) != dns::rdata_text(parsed.value->answers[i]) ||
        again.value->answers[i].name != parsed.value->answers[i].name)
      std::abort();
  return 0;
}
