// Bytes from the network as a person can read them in a message or evidence:
// every probe quotes what a peer sent this way, so hostile bytes cannot forge
// lines or terminal escapes in a report.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace edgeprobe {

// Printable ASCII as is, the rest as \r, \n, \t, \\ or \xNN; at most `cap`
// input bytes, then "...(N more bytes)".
std::string escape_bytes(std::string_view bytes, std::size_t cap = 200);

} // namespace edgeprobe
