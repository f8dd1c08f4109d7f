// UTF-16LE, the charset of NTLM's Unicode fields, to and from the UTF-8 the
// rest of edgeprobe uses. utf16le() and uppercase_user() are public (ntlm.hpp);
// this is the decoding half the message parsers share.
#pragma once
#include <cstdint>
#include <span>
#include <string>

namespace edgeprobe::ntlm {

// UTF-16LE to UTF-8; an unpaired surrogate becomes U+FFFD, and an odd last
// byte is ignored (the parsers refuse odd lengths before they get here).
std::string utf8_from_utf16le(std::span<const std::uint8_t> utf16);

} // namespace edgeprobe::ntlm
