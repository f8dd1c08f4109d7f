#include "net/responder_pki.hpp"

#include "net/cert_maker.hpp"

#include <chrono>
#include <stdexcept>

namespace edgeprobe {

generated_pki generate_responder_pki(const std::vector<std::string>& dns_names,
                                     const std::vector<std::string>& ip_addresses, int valid_days) {
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch()).count();
  std::string error;
  auto root_key = make_key(key_kind::ec_p256);
  cert_request root_req;
  root_req.common_name = "edgeprobe responder root";
  root_req.organization = "edgeprobe";
  root_req.ca = true;
  root_req.not_before = now - 3600;
  root_req.not_after = now + 3650LL * 86400;
  root_req.serial = static_cast<std::uint64_t>(now);
  auto root = make_certificate(root_req, root_key.get(), nullptr, nullptr, error);
  auto leaf_key = make_key(key_kind::ec_p256);
  cert_request leaf_req;
  leaf_req.common_name = dns_names.empty() ? (ip_addresses.empty() ? "localhost" : ip_addresses.front()) : dns_names.front();
  leaf_req.organization = "edgeprobe";
  leaf_req.dns_names = dns_names;
  leaf_req.ip_addresses = ip_addresses;
  leaf_req.not_before = now - 3600;
  leaf_req.not_after = now + static_cast<std::int64_t>(valid_days) * 86400;
  leaf_req.serial = static_cast<std::uint64_t>(now) + 1;
  auto leaf = root ? make_certificate(leaf_req, leaf_key.get(), root.get(), root_key.get(), error) : ossl::x509{};
  if (!leaf) throw std::runtime_error(error);
  return {to_pem(root.get()), to_pem(leaf.get()), to_pem(leaf_key.get())};
}

} // namespace edgeprobe
