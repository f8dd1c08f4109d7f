// NTLMv2 crypto ([MS-NLMP] 3.3.2, 3.4.5.1): NTOWFv2, the NTLMv2 and LMv2
// responses, the session base key and RC4K, and the server's check of a
// client's proof. Everything that touches OpenSSL is in this file.
#include "wire/ntlm/ntlm.hpp"

#include "wire/writer.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
// MD4 (the NT hash) and RC4 (KEY_EXCH) live in OpenSSL 3's legacy provider,
// so EVP_MD_fetch(nullptr, "MD4", nullptr) fails by default. Loading the legacy
// provider into the default library context would change what every other
// part of the process can fetch, and a private OSSL_LIB_CTX would need
// ossl-modules/legacy.so at run time. The low-level MD4() and RC4() are built
// into libcrypto itself (Debian's libssl3 has both): deprecated, not removed.
// They are used below in two small functions with the warning silenced there.
#include <openssl/md4.h>
#include <openssl/rc4.h>

namespace edgeprobe::ntlm {

namespace {

key16 hmac_md5(std::span<const std::uint8_t> key, std::span<const std::uint8_t> data) {
  key16 out{};
  unsigned int length = 0;
  HMAC(EVP_md5(), key.data(), static_cast<int>(key.size()), data.data(), data.size(), out.data(), &length);
  return out;
}

key16 hmac_md5(std::span<const std::uint8_t> key, std::span<const std::uint8_t> first, std::span<const std::uint8_t> second) {
  wire::writer joined;
  joined.bytes(first);
  joined.bytes(second);
  return hmac_md5(key, joined.view());
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations" // MD4 and RC4: see the includes above

key16 md4(std::span<const std::uint8_t> data) {
  key16 out{};
  MD4(data.data(), data.size(), out.data());
  return out;
}

key16 rc4(const key16& key, const key16& data) {
  RC4_KEY schedule;
  RC4_set_key(&schedule, static_cast<int>(key.size()), key.data());
  key16 out{};
  RC4(&schedule, data.size(), data.data(), out.data());
  OPENSSL_cleanse(&schedule, sizeof schedule);
  return out;
}

#pragma GCC diagnostic pop

// In constant time: how much of a proof matched must not show in the timing.
bool same(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

} // namespace

key16 nt_hash(std::string_view password) { return md4(utf16le(password)); } // 3.3.1 NTOWFv1

// 3.3.2: NTOWFv2 = HMAC_MD5(MD4(UNICODE(Passwd)), UNICODE(ConcatenationOf(Uppercase(User), UserDom))).
// Only the user name is uppercased, not the domain.
key16 ntowf_v2(std::string_view password, std::string_view user, std::string_view domain) {
  return hmac_md5(nt_hash(password), utf16le(uppercase_user(user)), utf16le(domain));
}

std::vector<std::uint8_t> ntlmv2_blob(std::uint64_t timestamp, const challenge_bytes& client_challenge,
                                      std::span<const std::uint8_t> server_name) {
  wire::writer temp(wire::byte_order::little);
  temp.u8(1); // Responserversion and HiResponserversion (RespType, HiRespType in 2.2.2.7)
  temp.u8(1);
  temp.zeros(6);
  temp.u64(timestamp);
  temp.bytes(client_challenge);
  temp.zeros(4);
  temp.bytes(server_name);
  temp.zeros(4);
  return temp.take();
}

key16 nt_proof_str(const key16& response_key_nt, const challenge_bytes& server_challenge,
                   std::span<const std::uint8_t> blob) {
  return hmac_md5(response_key_nt, server_challenge, blob);
}

std::vector<std::uint8_t> ntlmv2_nt_response(const key16& response_key_nt, const challenge_bytes& server_challenge,
                                             std::span<const std::uint8_t> blob) {
  wire::writer out;
  out.bytes(nt_proof_str(response_key_nt, server_challenge, blob));
  out.bytes(blob);
  return out.take();
}

std::vector<std::uint8_t> lmv2_response(const key16& response_key_lm, const challenge_bytes& server_challenge,
                                        const challenge_bytes& client_challenge) {
  wire::writer out;
  out.bytes(hmac_md5(response_key_lm, server_challenge, client_challenge));
  out.bytes(client_challenge);
  return out.take();
}

key16 session_base_key(const key16& response_key_nt, const key16& proof) { return hmac_md5(response_key_nt, proof); }

key16 rc4k(const key16& key_exchange_key, const key16& key) { return rc4(key_exchange_key, key); }

bool verify_ntlmv2(const authenticate_message& message, const challenge_message& sent, std::string_view password) {
  const auto response = parse_ntlmv2_response(message.nt_response);
  if (!response) return false;
  const auto proves = [&](std::string_view domain) {
    const auto proof = nt_proof_str(ntowf_v2(password, message.user, domain), sent.server_challenge, response.value->blob);
    return same(proof, response.value->nt_proof_str);
  };
  // 3.2.5.1.2: with the domain the client named, then "retry using NIL for the domain name".
  return proves(message.domain) || (!message.domain.empty() && proves(""));
}

} // namespace edgeprobe::ntlm
