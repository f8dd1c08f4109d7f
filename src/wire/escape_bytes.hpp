// Bytes from the network as a person can read them in a message or evidence:
// every probe quotes what a peer sent this way, so hostile bytes cannot forge
// lines or terminal escapes in a report. Redaction finds secrets in each of
// these forms (wire/display_forms.hpp): a new way of showing bytes belongs
// here, and in that list.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace edgeprobe {

// Printable ASCII as is, the rest as \r, \n, \t, \\ or \xNN; at most `cap`
// input bytes, then "...(N more bytes)".
std::string escape_bytes(std::string_view bytes, std::size_t cap = 200);

// Printable ASCII as is (the backslash too), every other byte as \xNN: short
// names from binary protocols (DCE/RPC annotations, endpoints).
std::string escape_unprintable(std::string_view bytes);

// escape_unprintable, with `"` and `\` as \xNN too: text shown between double
// quotes (SQL Server Browser records), so a quote inside cannot end it.
std::string escape_for_quotes(std::string_view bytes);

// Two lowercase hex digits per byte, nothing between them: a datagram as evidence.
std::string hex_digits(std::string_view bytes);

} // namespace edgeprobe
