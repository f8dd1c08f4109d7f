// NTLM codec and NTLMv2 crypto on real bytes: the worked example of [MS-NLMP]
// section 4.2 (common values 4.2.1, NTLMv2 results 4.2.4.1/4.2.4.2, the
// CHALLENGE and AUTHENTICATE messages printed in 4.2.4.3), and a full exchange
// with curl 7.88.1 (`curl --ntlm -u user:Passw0rd` and `--anyauth`, against a
// loopback server that sent the challenge built here): curl's NEGOTIATE and
// AUTHENTICATE messages must parse, and the server side must accept curl's
// answer with the right password and refuse it with a wrong one. The files
// live in tests/fuzz/corpus/ntlm, where they also seed the fuzz target.
#include "wire/ntlm/ntlm.hpp"

#include "support/corpus_file.hpp"
#include "support/hex_bytes.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

using namespace edgeprobe;
using test::from_hex;
using namespace edgeprobe::ntlm;

namespace {

bytes corpus(const std::string& name) {
  const std::string raw = test::corpus_bytes("ntlm", name);
  INFO(name);
  REQUIRE(!raw.empty());
  return bytes(raw.begin(), raw.end());
}

template <std::size_t N> bytes vec(const std::array<std::uint8_t, N>& a) { return bytes(a.begin(), a.end()); }

key16 key_of(std::string_view text) {
  const auto b = from_hex(text);
  key16 k{};
  std::copy_n(b.begin(), std::min(b.size(), k.size()), k.begin());
  return k;
}

bytes slice(const bytes& b, std::size_t at, std::size_t n) { return bytes(b.begin() + static_cast<std::ptrdiff_t>(at), b.begin() + static_cast<std::ptrdiff_t>(at + n)); }

template <class T> T parsed(const wire::decoded<T>& d) {
  INFO(d.error.what << " (at " << d.error.offset << ")");
  REQUIRE(d);
  return *d.value;
}

template <class T> wire::failure failed(const wire::decoded<T>& d) {
  REQUIRE_FALSE(d);
  CHECK_FALSE(d.error.what.empty());
  return d.error;
}

void put_le16(bytes& b, std::size_t at, std::uint16_t v) {
  b[at] = static_cast<std::uint8_t>(v);
  b[at + 1] = static_cast<std::uint8_t>(v >> 8);
}
void put_le32(bytes& b, std::size_t at, std::uint32_t v) {
  put_le16(b, at, static_cast<std::uint16_t>(v));
  put_le16(b, at + 2, static_cast<std::uint16_t>(v >> 16));
}

// [MS-NLMP] 4.2.1 common values.
const credentials spec_user{"User", "Domain", "Password"};
const challenge_bytes spec_server_challenge{0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef};
const challenge_bytes spec_client_challenge{0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa};
const key16 spec_random_session_key = key_of("55555555555555555555555555555555");
// The TargetInfo of 4.2.4.3's CHALLENGE_MESSAGE, the "ServerName" of 4.2.4.1.3.
const bytes spec_server_name = from_hex("02000c00 44006f006d00610069006e00 01000c00 530065007200760065007200 00000000");

// 4.2.4.1.3 temp: 01 01 Z(6) Time(0) ClientChallenge Z(4) ServerName Z(4).
const bytes spec_temp = from_hex("0101000000000000 0000000000000000 aaaaaaaaaaaaaaaa 00000000"
                              "02000c00 44006f006d00610069006e00 01000c00 530065007200760065007200 00000000"
                              "00000000");

// The 4.2.4.3 AUTHENTICATE_MESSAGE's flags and Version: 0xE2888235, 5.1 build 2600.
constexpr std::uint32_t spec_authenticate_flags = 0xE2888235;

// The challenge our loopback server sent curl (tests/fuzz/corpus/ntlm/
// edgeprobe_challenge_to_curl_7.88.bin), rebuilt: Exchange-like target info
// with an MsvAvTimestamp, answered in OEM because curl does not offer Unicode.
challenge_message challenge_sent_to_curl() {
  challenge_message c;
  c.flags = answer_flags(0x00088206) | flag::negotiate_version;
  c.server_challenge = {0x3c, 0x5a, 0x91, 0x07, 0xe2, 0x4d, 0xb8, 0x16};
  c.target_name = "EDGELAB";
  c.target_info = {text_pair(av::nb_domain_name, "EDGELAB"),
                   text_pair(av::nb_computer_name, "EXCH01"),
                   text_pair(av::dns_domain_name, "edgelab.test"),
                   text_pair(av::dns_computer_name, "exch01.edgelab.test"),
                   text_pair(av::dns_tree_name, "edgelab.test"),
                   timestamp_pair(133450560000000000ULL)};
  c.os_version = version{10, 0, 17763, 15};
  return c;
}

client_inputs inputs_with(const challenge_bytes& client_challenge, std::uint64_t time = 0) {
  client_inputs in;
  in.client_challenge = client_challenge;
  in.timestamp = time;
  in.workstation = "PROBE";
  return in;
}

} // namespace

TEST_SUITE("http") {

TEST_CASE("ntlm: [MS-NLMP] 4.2.2.1.2 NT hash and 4.2.4.1.1 NTOWFv2") {
  CHECK(vec(nt_hash("Password")) == from_hex("a4f49c406510bdcab6824ee7c30fd852"));
  CHECK(vec(ntowf_v2("Password", "User", "Domain")) == from_hex("0c868a403bfd7a93a3001ef22ef02e3f"));
  // Only the user name is uppercased (3.3.2), not the domain.
  CHECK(vec(ntowf_v2("Password", "user", "Domain")) == from_hex("0c868a403bfd7a93a3001ef22ef02e3f"));
  CHECK(vec(ntowf_v2("Password", "User", "DOMAIN")) != from_hex("0c868a403bfd7a93a3001ef22ef02e3f"));
  CHECK(vec(ntowf_v2("password", "User", "Domain")) != from_hex("0c868a403bfd7a93a3001ef22ef02e3f"));
}

TEST_CASE("ntlm: [MS-NLMP] 4.2.4.1 and 4.2.4.2 NTLMv2 results") {
  const auto key = ntowf_v2(spec_user.password, spec_user.user, spec_user.domain);
  const auto temp = ntlmv2_blob(0, spec_client_challenge, spec_server_name);
  CHECK(temp == spec_temp); // 4.2.4.1.3

  const auto proof = nt_proof_str(key, spec_server_challenge, temp);
  CHECK(vec(proof) == from_hex("68cd0ab851e51c96aabc927bebef6a1c")); // 4.2.4.2.2 NTProofStr
  const auto nt = ntlmv2_nt_response(key, spec_server_challenge, temp);
  CHECK(slice(nt, 0, 16) == vec(proof));
  CHECK(slice(nt, 16, nt.size() - 16) == spec_temp);

  // 4.2.4.2.1 LMv2 response (LMOWFv2 is NTOWFv2).
  CHECK(lmv2_response(key, spec_server_challenge, spec_client_challenge) ==
        from_hex("86c35097ac9cec102554764a57cccc19 aaaaaaaaaaaaaaaa"));

  // 4.2.4.1.2 session base key, which for NTLMv2 is the key exchange key
  // (3.4.5.1), and 4.2.4.2.3 the encrypted session key RC4K(KXKEY, 55..55).
  const auto base = session_base_key(key, proof);
  CHECK(vec(base) == from_hex("8de40ccadbc14a82f15cb0ad0de95ca3"));
  const auto sealed = rc4k(base, spec_random_session_key);
  CHECK(vec(sealed) == from_hex("c5dad2544fc9799094ce1ce90bc9d03e"));
  CHECK(rc4k(base, sealed) == spec_random_session_key); // RC4 both ways
}

TEST_CASE("ntlm: the 4.2.4.3 CHALLENGE_MESSAGE parses and builds back to the same bytes") {
  const auto wire = corpus("ms_nlmp_4_2_4_3_challenge.bin");
  const auto c = parsed(parse_challenge(wire));
  CHECK(c.flags == 0xE28A8233);
  CHECK(flag_names(c.flags) == "UNICODE|OEM|SIGN|SEAL|NTLM|ALWAYS_SIGN|TARGET_TYPE_SERVER|EXTENDED_SESSIONSECURITY|"
                               "TARGET_INFO|VERSION|128|KEY_EXCH|56");
  CHECK(c.server_challenge == spec_server_challenge);
  CHECK(c.target_name == "Server");
  REQUIRE(c.target_info.size() == 2);
  CHECK(c.target_info[0].id == av::nb_domain_name);
  CHECK(c.nb_domain_name() == "Domain");
  CHECK(c.nb_computer_name() == "Server");
  CHECK_FALSE(c.dns_domain_name());
  CHECK_FALSE(c.timestamp());
  CHECK(c.os_version == version{6, 0, 6000, 15});
  CHECK(encode_av_pairs(c.target_info) == spec_server_name);
  CHECK(build_challenge(c) == wire);
}

TEST_CASE("ntlm: the 4.2.4.3 AUTHENTICATE_MESSAGE parses, encodes back, verifies") {
  const auto wire = corpus("ms_nlmp_4_2_4_3_authenticate.bin");
  const auto a = parsed(parse_authenticate(wire));
  CHECK(a.flags == spec_authenticate_flags);
  CHECK(a.domain == "Domain");
  CHECK(a.user == "User");
  CHECK(a.workstation == "COMPUTER");
  CHECK(a.lm_response == from_hex("86c35097ac9cec102554764a57cccc19 aaaaaaaaaaaaaaaa"));
  CHECK(slice(a.nt_response, 0, 16) == from_hex("68cd0ab851e51c96aabc927bebef6a1c"));
  CHECK(slice(a.nt_response, 16, a.nt_response.size() - 16) == spec_temp);
  CHECK(a.encrypted_random_session_key == from_hex("c5dad2544fc9799094ce1ce90bc9d03e"));
  CHECK(a.os_version == version{5, 1, 2600, 15});
  CHECK_FALSE(a.mic); // its payload starts at 72: room for a Version, none for a MIC
  CHECK(encode_authenticate(a) == wire); // same field order as the spec: domain, user, workstation, LM, NT, key

  const auto response = parsed(parse_ntlmv2_response(a.nt_response));
  CHECK(response.client_challenge == spec_client_challenge);
  CHECK(response.timestamp == 0);
  CHECK(response.av_pairs.size() == 2);

  const auto challenge = parsed(parse_challenge(corpus("ms_nlmp_4_2_4_3_challenge.bin")));
  CHECK(verify_ntlmv2(a, challenge, "Password"));
  CHECK_FALSE(verify_ntlmv2(a, challenge, "password"));
}

TEST_CASE("ntlm: build_authenticate gives the 4.2.4.3 AUTHENTICATE_MESSAGE's parts") {
  // The builder answers with offered & challenged flags and no Version, so the
  // spec's NegotiateFlags (0xE2888235: REQUEST_TARGET, which its challenge
  // lacks) and Version (5.1.2600) are not what it writes. Everything it
  // computes is compared: LM and NT responses, encrypted session key (with
  // KEY_EXCH and 4.2.1's RandomSessionKey), names. Then, given the spec's
  // flags and Version, the message is the spec's byte for byte.
  const auto challenge = parsed(parse_challenge(corpus("ms_nlmp_4_2_4_3_challenge.bin")));
  client_inputs in = inputs_with(spec_client_challenge, 0);
  in.workstation = "COMPUTER";
  in.exported_session_key = spec_random_session_key;
  in.offered_flags = spec_authenticate_flags;

  auto built = parsed(parse_authenticate(build_authenticate(challenge, spec_user, in)));
  const auto spec = parsed(parse_authenticate(corpus("ms_nlmp_4_2_4_3_authenticate.bin")));
  CHECK(built.flags == ((spec_authenticate_flags & challenge.flags) & ~flag::negotiate_version));
  CHECK((built.flags & flag::negotiate_key_exch) != 0);
  CHECK(built.lm_response == spec.lm_response);
  CHECK(built.nt_response == spec.nt_response);
  CHECK(built.encrypted_random_session_key == spec.encrypted_random_session_key);
  CHECK(built.domain == spec.domain);
  CHECK(built.user == spec.user);
  CHECK(built.workstation == spec.workstation);
  CHECK_FALSE(built.os_version);
  CHECK_FALSE(built.mic);

  built.flags = spec.flags;
  built.os_version = spec.os_version;
  CHECK(encode_authenticate(built) == corpus("ms_nlmp_4_2_4_3_authenticate.bin"));
}

TEST_CASE("ntlm: KEY_EXCH is sent only with a session key to send") {
  const auto challenge = parsed(parse_challenge(corpus("ms_nlmp_4_2_4_3_challenge.bin")));
  client_inputs in = inputs_with(spec_client_challenge);
  in.offered_flags = default_client_flags | flag::negotiate_key_exch;
  const auto without = parsed(parse_authenticate(build_authenticate(challenge, spec_user, in)));
  CHECK_FALSE((without.flags & flag::negotiate_key_exch) != 0);
  CHECK(without.encrypted_random_session_key.empty());

  CHECK_FALSE((default_client_flags & flag::negotiate_key_exch) != 0);
  in.offered_flags = default_client_flags;
  in.exported_session_key = spec_random_session_key;
  const auto not_offered = parsed(parse_authenticate(build_authenticate(challenge, spec_user, in)));
  CHECK_FALSE((not_offered.flags & flag::negotiate_key_exch) != 0);
  CHECK(not_offered.encrypted_random_session_key.empty());
}

TEST_CASE("ntlm: a server timestamp goes into the blob and zeroes the LM response (3.1.5.1.2)") {
  challenge_message c;
  c.flags = answer_flags(default_client_flags);
  c.server_challenge = spec_server_challenge;
  c.target_info = {text_pair(av::nb_domain_name, "Domain"), timestamp_pair(0x01D9000000000001ULL)};
  const auto a = parsed(parse_authenticate(build_authenticate(c, spec_user, inputs_with(spec_client_challenge, 42))));
  CHECK(a.lm_response == bytes(24, 0));
  const auto r = parsed(parse_ntlmv2_response(a.nt_response));
  CHECK(r.timestamp == 0x01D9000000000001ULL);
  CHECK(r.av_pairs == c.target_info);
  CHECK(verify_ntlmv2(a, c, "Password"));

  c.target_info.pop_back(); // no timestamp: the client's time, and an LMv2 response
  const auto b = parsed(parse_authenticate(build_authenticate(c, spec_user, inputs_with(spec_client_challenge, 42))));
  CHECK(parsed(parse_ntlmv2_response(b.nt_response)).timestamp == 42);
  CHECK(b.lm_response == lmv2_response(ntowf_v2("Password", "User", "Domain"), spec_server_challenge, spec_client_challenge));
  CHECK(verify_ntlmv2(b, c, "Password"));
}

TEST_CASE("ntlm: verify_ntlmv2 refuses wrong passwords, users, challenges and tampered responses") {
  const auto challenge = parsed(parse_challenge(corpus("ms_nlmp_4_2_4_3_challenge.bin")));
  const auto good = parsed(parse_authenticate(corpus("ms_nlmp_4_2_4_3_authenticate.bin")));
  REQUIRE(verify_ntlmv2(good, challenge, "Password"));

  CHECK_FALSE(verify_ntlmv2(good, challenge, "Passwort"));
  CHECK_FALSE(verify_ntlmv2(good, challenge, ""));

  auto other_user = good;
  other_user.user = "Admin";
  CHECK_FALSE(verify_ntlmv2(other_user, challenge, "Password"));
  auto same_user_other_case = good;
  same_user_other_case.user = "USER"; // NTOWFv2 uppercases the user name
  CHECK(verify_ntlmv2(same_user_other_case, challenge, "Password"));
  auto other_domain = good;
  other_domain.domain = "Corp";
  CHECK_FALSE(verify_ntlmv2(other_domain, challenge, "Password"));

  auto another_challenge = challenge;
  another_challenge.server_challenge[7] ^= 0x01;
  CHECK_FALSE(verify_ntlmv2(good, another_challenge, "Password"));

  for (const std::size_t at : {0UL, 15UL, 24UL, 32UL, 44UL, good.nt_response.size() - 1}) {
    CAPTURE(at); // NTProofStr, Time, ClientChallenge, AV pairs, the trailing Z(4)
    auto tampered = good;
    tampered.nt_response[at] ^= 0x40;
    CHECK_FALSE(verify_ntlmv2(tampered, challenge, "Password"));
  }
  auto longer = good;
  longer.nt_response.insert(longer.nt_response.end(), {0, 0, 0, 0});
  CHECK_FALSE(verify_ntlmv2(longer, challenge, "Password"));

  // The LMv2 response is right, but alone it proves nothing edgeprobe accepts.
  auto lm_only = good;
  lm_only.nt_response.clear();
  CHECK_FALSE(verify_ntlmv2(lm_only, challenge, "Password"));
  auto v1_sized = good;
  v1_sized.nt_response.resize(24);
  CHECK_FALSE(verify_ntlmv2(v1_sized, challenge, "Password"));
  CHECK(failed(parse_ntlmv2_response(v1_sized.nt_response)).what.find("NTLMv1") != std::string::npos);
}

TEST_CASE("ntlm: a response computed without the domain passes, as 3.2.5.1.2 retries with NIL") {
  const auto challenge = parsed(parse_challenge(corpus("ms_nlmp_4_2_4_3_challenge.bin")));
  auto a = parsed(parse_authenticate(build_authenticate(challenge, {"User", "", "Password"}, inputs_with(spec_client_challenge))));
  a.domain = "Domain";
  CHECK(verify_ntlmv2(a, challenge, "Password"));
  CHECK_FALSE(verify_ntlmv2(a, challenge, "Passw0rd"));
}

TEST_CASE("ntlm: non-ASCII names: UTF-16LE on the wire, Latin-1 and Cyrillic uppercased") {
  CHECK(utf16le("é€😀") == from_hex("e900 ac20 3dd8 00de"));
  CHECK(utf16le("a\xff" "b") == from_hex("6100 fdff 6200")); // invalid UTF-8 becomes U+FFFD
  CHECK(utf16le("\xc0\xaf") == from_hex("fdff fdff"));       // overlong '/'
  CHECK(utf16le("\xed\xa0\x80") == from_hex("fdff fdff fdff")); // a UTF-8 encoded surrogate
  CHECK(uppercase_user("jürgen.ivanov-иван") == "JÜRGEN.IVANOV-ИВАН");
  CHECK(uppercase_user("straße÷ÿ") == "STRAßE÷ÿ"); // no single-letter uppercase / outside the table

  challenge_message c;
  c.flags = answer_flags(default_client_flags);
  c.server_challenge = spec_server_challenge;
  c.target_name = "ДОМЕН";
  c.target_info = {text_pair(av::nb_domain_name, "ДОМЕН")};
  const auto challenge = parsed(parse_challenge(build_challenge(c)));
  CHECK(challenge == c);
  CHECK(challenge.nb_domain_name() == "ДОМЕН");

  const auto a = parsed(parse_authenticate(build_authenticate(challenge, {"Jürgen", "ДОМЕН", "pässwörd😀"}, inputs_with(spec_client_challenge))));
  CHECK((a.flags & flag::negotiate_unicode) != 0);
  CHECK(a.user == "Jürgen");
  CHECK(a.domain == "ДОМЕН");
  CHECK(verify_ntlmv2(a, challenge, "pässwörd😀"));
  auto lower = a;
  lower.user = "jÜrgen";
  CHECK(verify_ntlmv2(lower, challenge, "pässwörd😀"));
  CHECK_FALSE(verify_ntlmv2(a, challenge, "passwörd😀"));
}

TEST_CASE("ntlm: a target info too large for the NT response's 16-bit Len is not answered") {
  challenge_message c;
  c.flags = answer_flags(default_client_flags);
  c.target_info = {av_pair{av::single_host, bytes(0xFFFF - 48 - 8, 0x5A)}}; // list: 65,487 bytes with MsvAvEOL
  REQUIRE(encode_av_pairs(c.target_info).size() == 0xFFFF - 48);
  const auto a = parsed(parse_authenticate(build_authenticate(c, spec_user, inputs_with(spec_client_challenge))));
  CHECK(a.nt_response.size() == 0xFFFF);
  CHECK(verify_ntlmv2(a, c, "Password"));
  c.target_info[0].value.push_back(0);
  CHECK(build_authenticate(c, spec_user, inputs_with(spec_client_challenge)).empty());
}

TEST_CASE("ntlm: messages round-trip through their encoders") {
  const auto n = parsed(parse_negotiate(build_negotiate()));
  CHECK(n.flags == default_client_flags);
  CHECK(n.domain.empty());
  CHECK_FALSE(n.os_version);
  CHECK(build_negotiate().size() == 32);

  const negotiate_message full{flag::negotiate_unicode | flag::negotiate_version, "CORP", "PROBE-01", version{10, 0, 20348, 15}};
  const auto again = parsed(parse_negotiate(encode_negotiate(full)));
  CHECK(again.flags == (full.flags | flag::negotiate_oem_domain_supplied | flag::negotiate_oem_workstation_supplied));
  CHECK(again.domain == "CORP");
  CHECK(again.workstation == "PROBE-01");
  CHECK(again.os_version == full.os_version);

  challenge_message oem;
  oem.flags = answer_flags(flag::negotiate_oem | flag::request_target);
  CHECK_FALSE((oem.flags & flag::negotiate_unicode) != 0);
  oem.target_name = "WORKGROUP";
  oem.server_challenge = {1, 2, 3, 4, 5, 6, 7, 8};
  const auto oem_wire = build_challenge(oem);
  CHECK(slice(oem_wire, 48, 9) == bytes{'W', 'O', 'R', 'K', 'G', 'R', 'O', 'U', 'P'});
  CHECK(parsed(parse_challenge(oem_wire)) == oem);

  authenticate_message a;
  a.flags = flag::negotiate_unicode;
  a.user = "u";
  a.lm_response = bytes(24, 1);
  a.nt_response = bytes(60, 2);
  a.mic = key_of("000102030405060708090a0b0c0d0e0f");
  const auto a_wire = encode_authenticate(a);
  const auto a_again = parsed(parse_authenticate(a_wire));
  CHECK(a_again.mic == a.mic);
  CHECK(a_again.os_version == version{0, 0, 0, 0}); // a MIC comes after a Version field, zero when none is given
  a.os_version = a_again.os_version;
  CHECK(a_again == a);
}

TEST_CASE("ntlm: hostile bytes fail cleanly, with the offset of the problem") {
  const auto challenge = corpus("ms_nlmp_4_2_4_3_challenge.bin");
  const auto authenticate = corpus("ms_nlmp_4_2_4_3_authenticate.bin");
  const auto negotiate = corpus("curl_7.88_negotiate.bin");

  SUBCASE("every truncation") {
    for (std::size_t n = 0; n < challenge.size(); ++n) {
      CAPTURE(n);
      const auto e = failed(parse_challenge(std::span(challenge).first(n)));
      CHECK(e.offset <= std::max<std::size_t>(n, 40));
    }
    for (std::size_t n = 0; n < authenticate.size(); ++n) {
      CAPTURE(n);
      failed(parse_authenticate(std::span(authenticate).first(n)));
    }
    for (std::size_t n = 0; n < negotiate.size(); ++n) {
      CAPTURE(n);
      CHECK(failed(parse_negotiate(std::span(negotiate).first(n))).offset == n);
    }
  }

  SUBCASE("signature and message type") {
    auto bad = challenge;
    bad[7] = '!';
    CHECK(failed(parse_challenge(bad)).offset == 0);
    CHECK(failed(parse_negotiate(challenge)).offset == 8);
    CHECK(failed(parse_authenticate(challenge)).offset == 8);
    CHECK(failed(parse_challenge(authenticate)).offset == 8);
  }

  SUBCASE("fields pointing outside the message or into its header") {
    auto past = challenge;
    put_le32(past, 44, 0xFFFFFFF0); // TargetInfo BufferOffset
    auto e = failed(parse_challenge(past));
    CHECK(e.offset == 40);
    CHECK(e.what.find("TargetInfo") != std::string::npos);

    auto huge = challenge;
    put_le16(huge, 40, 0xFFFF); // TargetInfoLen
    CHECK(failed(parse_challenge(huge)).offset == 40);

    auto one_over = challenge;
    put_le16(one_over, 40, 0x25);
    CHECK(failed(parse_challenge(one_over)).offset == 40);

    auto in_header = authenticate;
    put_le32(in_header, 40, 8); // UserName BufferOffset: inside the signature
    e = failed(parse_authenticate(in_header));
    CHECK(e.offset == 36);
    CHECK(e.what.find("header") != std::string::npos);

    auto nt_past = authenticate;
    put_le32(nt_past, 24, 0xd8); // NtChallengeResponse: 84 bytes at 216 of 232
    CHECK(failed(parse_authenticate(nt_past)).offset == 20);
  }

  SUBCASE("AV pairs") {
    auto no_eol = challenge;
    put_le16(no_eol, 40, 0x20); // TargetInfo without its 4-byte MsvAvEOL
    auto e = failed(parse_challenge(no_eol));
    CHECK(e.offset == 0x44 + 0x20);
    CHECK(e.what.find("MsvAvEOL") != std::string::npos);

    auto long_pair = challenge;
    put_le16(long_pair, 0x44 + 2, 0x40); // the first pair claims 64 bytes
    e = failed(parse_challenge(long_pair));
    CHECK(e.offset == 0x44);

    CHECK(failed(parse_av_pairs(from_hex("0100 0200 4100"))).offset == 6);
    CHECK(failed(parse_av_pairs({})).offset == 0);
    CHECK(parsed(parse_av_pairs(from_hex("0000 0000 ffff"))).empty()); // bytes after MsvAvEOL are ignored
  }

  SUBCASE("UTF-16 names of odd length") {
    auto odd = challenge;
    put_le16(odd, 12, 11); // TargetNameLen
    const auto e = failed(parse_challenge(odd));
    CHECK(e.offset == 12);
    CHECK(e.what.find("odd") != std::string::npos);
  }

  SUBCASE("NTLMv2 response structure") {
    auto bad_type = parsed(parse_authenticate(authenticate)).nt_response;
    bad_type[16] = 2;
    CHECK(failed(parse_ntlmv2_response(bad_type)).offset == 16);
    auto cut = parsed(parse_authenticate(authenticate)).nt_response;
    cut.resize(16 + 28 + 6); // the first AV pair (12 bytes) cut after 2 of them
    CHECK(failed(parse_ntlmv2_response(cut)).offset == 44);
  }
}

TEST_CASE("ntlm: curl 7.88.1's NEGOTIATE_MESSAGE") {
  const auto wire = corpus("curl_7.88_negotiate.bin");
  const auto n = parsed(parse_negotiate(wire));
  CHECK(n.flags == 0x00088206);
  CHECK(flag_names(n.flags) == "OEM|REQUEST_TARGET|NTLM|ALWAYS_SIGN|EXTENDED_SESSIONSECURITY");
  CHECK(n.domain.empty());
  CHECK(n.workstation.empty());
  CHECK_FALSE(n.os_version);
  // curl writes 0 as the offset of its empty fields, the encoder the payload's start.
  CHECK(parsed(parse_negotiate(encode_negotiate(n))) == n);
  CHECK(build_negotiate(n.flags).size() == wire.size());
  CHECK(header_value(wire) == "NTLM TlRMTVNTUAABAAAABoIIAAAAAAAAAAAAAAAAAAAAAAA="); // as curl sent it
}

TEST_CASE("ntlm: the challenge sent to curl is what build_challenge gives") {
  const auto wire = corpus("edgeprobe_challenge_to_curl_7.88.bin");
  CHECK(build_challenge(challenge_sent_to_curl()) == wire);
  const auto c = parsed(parse_challenge(wire));
  CHECK(c == challenge_sent_to_curl());
  CHECK(c.flags == 0x028a8206);
  CHECK(c.dns_computer_name() == "exch01.edgelab.test");
  CHECK(c.timestamp() == 133450560000000000ULL);
}

TEST_CASE("ntlm: curl 7.88.1's AUTHENTICATE_MESSAGE verifies with its password only") {
  const auto challenge = parsed(parse_challenge(corpus("edgeprobe_challenge_to_curl_7.88.bin")));
  for (const auto* name : {"curl_7.88_authenticate_user_password.bin", "curl_7.88_anyauth_authenticate_user_password.bin"}) {
    CAPTURE(name);
    const auto wire = corpus(name);
    const auto a = parsed(parse_authenticate(wire));
    // curl echoes the challenge's flags and writes OEM names, no Version, no MIC, no session key.
    CHECK(a.flags == 0x028a8206);
    CHECK(a.user == "user");
    CHECK(a.domain.empty());
    CHECK(a.workstation == "WORKSTATION");
    CHECK_FALSE(a.os_version);
    CHECK_FALSE(a.mic);
    CHECK(a.encrypted_random_session_key.empty());
    CHECK(encode_authenticate(a) != wire); // curl puts the responses first
    CHECK(parsed(parse_authenticate(encode_authenticate(a))) == a);

    const auto r = parsed(parse_ntlmv2_response(a.nt_response));
    CHECK(r.av_pairs == challenge.target_info); // copied from our challenge
    CHECK(r.timestamp != *challenge.timestamp()); // curl uses its own clock

    CHECK(verify_ntlmv2(a, challenge, "Passw0rd"));
    CHECK_FALSE(verify_ntlmv2(a, challenge, "wrong"));
    CHECK_FALSE(verify_ntlmv2(a, challenge, "passw0rd"));
    auto other = challenge;
    other.server_challenge[0] ^= 0xFF;
    CHECK_FALSE(verify_ntlmv2(a, other, "Passw0rd"));

    // Independent cross-check of this file's crypto: curl's own NT and LMv2
    // responses, recomputed from its blob and client challenge.
    const auto key = ntowf_v2("Passw0rd", "user", "");
    CHECK(ntlmv2_nt_response(key, challenge.server_challenge, r.blob) == a.nt_response);
    CHECK(lmv2_response(key, challenge.server_challenge, r.client_challenge) == a.lm_response);
  }
}

TEST_CASE("ntlm: answer_flags for curl's and for edgeprobe's NEGOTIATE") {
  CHECK(answer_flags(0x00088206) == (flag::negotiate_oem | flag::request_target | flag::negotiate_ntlm |
                                     flag::negotiate_always_sign | flag::target_type_server |
                                     flag::negotiate_extended_sessionsecurity | flag::negotiate_target_info));
  const auto ours = answer_flags(default_client_flags);
  CHECK((ours & flag::negotiate_unicode) != 0);
  CHECK_FALSE((ours & flag::negotiate_oem) != 0);
  CHECK((ours & flag::negotiate_target_info) != 0);
  CHECK_FALSE((ours & (flag::negotiate_key_exch | flag::negotiate_sign | flag::negotiate_seal)) != 0);
  CHECK(flag_names(0x00000108) == "0x00000108");
  CHECK(flag_names(0x00000201) == "UNICODE|NTLM");
}

TEST_CASE("ntlm: header values") {
  CHECK(from_header_value("NTLM TlRMTVNTUAABAAAABoIIAAAAAAAAAAAAAAAAAAAAAAA=") == corpus("curl_7.88_negotiate.bin"));
  CHECK(from_header_value("  ntlm \t TlRMTVNTUAABAAAABoIIAAAAAAAAAAAAAAAAAAAAAAA=  ") == corpus("curl_7.88_negotiate.bin"));
  CHECK(from_header_value("NTLM") == bytes{});
  CHECK(from_header_value("Ntlm  ") == bytes{});
  CHECK_FALSE(from_header_value("Negotiate TlRMTVNTUAABAAAABoIIAAAAAAAAAAAAAAAAAAAAAAA="));
  CHECK_FALSE(from_header_value("NTLMTlRM"));
  CHECK_FALSE(from_header_value(""));
  for (const auto* bad : {"NTLM TlRMT", "NTLM TlR=TVNT", "NTLM ====", "NTLM Tl RM", "NTLM TlRM!A==", "NTLM TQ=a"}) {
    CAPTURE(bad);
    CHECK_FALSE(from_header_value(bad));
  }
  for (std::size_t n = 0; n < 8; ++n) {
    CAPTURE(n);
    bytes data(n);
    for (std::size_t i = 0; i < n; ++i) data[i] = static_cast<std::uint8_t>(0xF0 + i * 37);
    CHECK(from_header_value(header_value(data)) == data);
  }
  CHECK(header_value(bytes{'M'}) == "NTLM TQ==");
  CHECK(header_value(bytes{'M', 'a'}) == "NTLM TWE=");
}

TEST_CASE("ntlm: a scheme alone, its case differing at the last letter (a fuzz crash)") {
  // The fuzz input "nTLm", read past its end by Boost.Beast's iequals.
  const std::string raw = test::corpus_bytes("ntlm", "fuzz-crash-iequals-last-byte");
  REQUIRE(raw == "nTLm");
  const auto token = from_header_value(raw);
  REQUIRE(token);
  CHECK(token->empty());
  CHECK_FALSE(from_header_value("NTLN"));
}

} // TEST_SUITE
