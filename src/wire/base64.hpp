// Base64 (RFC 4648 section 4, with padding): HTTP Basic credentials and the
// NTLM tokens in Authorization / WWW-Authenticate headers.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace edgeprobe {

std::string base64_encode(std::span<const std::uint8_t> data);
inline std::string base64_encode(std::string_view text) {
  return base64_encode(std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

// Strict: a multiple of four characters from the alphabet, '=' only as the
// last one or two. nullopt otherwise (a peer's token is hostile input).
std::optional<std::vector<std::uint8_t>> base64_decode(std::string_view text);

} // namespace edgeprobe
