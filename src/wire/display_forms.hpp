// Every form in which edgeprobe shows bytes it received, for redaction: a
// secret that a peer echoes reaches a report escaped by one of these, never
// as the suite wrote it, so the secret set looks for each form.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace edgeprobe {

// `bytes` as is, then as escape_bytes, escape_unprintable, escape_for_quotes
// and hex_digits show them (wire/escape_bytes.hpp), and as a DNS label
// (dns::label_text). Uncapped, without duplicates.
std::vector<std::string> display_forms(std::string_view bytes);

} // namespace edgeprobe
