#include "probes/stun/requests.hpp"

#include <openssl/rand.h>

#include <stdexcept>

namespace edgeprobe::stun {

namespace {

constexpr std::string_view software = "edgeprobe";

void add_credentials(encoder& e, const long_term_credentials& c) {
  e.add_text(attr::username, c.username);
  e.add_text(attr::realm, c.realm);
  e.add_text(attr::nonce, c.nonce);
}

} // namespace

transaction_id new_transaction_id() {
  transaction_id id;
  if (RAND_bytes(id.data(), static_cast<int>(id.size())) != 1) throw std::runtime_error("RAND_bytes failed");
  return id;
}

std::vector<std::uint8_t> binding_request(const transaction_id& id) {
  encoder e(method::binding, message_class::request, magic_cookie, id, dialect::rfc);
  e.add_text(attr::software, software);
  return e.finish(std::nullopt, true);
}

std::vector<std::uint8_t> allocate_request(const transaction_id& id, const allocate_options& o) {
  encoder e(method::allocate, message_class::request, magic_cookie, id, dialect::rfc);
  e.add_requested_transport_udp();
  if (o.lifetime) e.add_u32(attr::lifetime, *o.lifetime);
  if (o.requested_family) {
    const std::uint8_t family[4] = {static_cast<std::uint8_t>(*o.requested_family), 0, 0, 0};
    e.add(attr::requested_address_family, family);
  }
  e.add_text(attr::software, software);
  if (!o.credentials) return e.finish(std::nullopt, true);
  add_credentials(e, *o.credentials);
  return e.finish(std::span<const std::uint8_t>(o.credentials->key), true);
}

std::vector<std::uint8_t> refresh_request(const transaction_id& id, std::uint32_t lifetime,
                                          const long_term_credentials& credentials) {
  encoder e(method::refresh, message_class::request, magic_cookie, id, dialect::rfc);
  e.add_u32(attr::lifetime, lifetime);
  e.add_text(attr::software, software);
  add_credentials(e, credentials);
  return e.finish(std::span<const std::uint8_t>(credentials.key), true);
}

std::vector<std::uint8_t> ms_allocate_request(const transaction_id& id,
                                              std::optional<std::span<const std::uint8_t>> username) {
  // The encoder puts MAGIC-COOKIE first in this dialect.
  encoder e(method::allocate, message_class::request, magic_cookie, id, dialect::ms_turn);
  e.add_u32(attr::ms_version, 4);
  if (username) e.add(attr::username, *username);
  e.add_u32(attr::ms_bandwidth, 200);
  e.add_u32(0x8006, 1); // undocumented; every Lync client sends it
  const std::uint8_t audio_best_effort[4] = {0x00, 0x01, 0x00, 0x00};
  e.add(attr::ms_service_quality, audio_best_effort);
  return e.finish();
}

} // namespace edgeprobe::stun
