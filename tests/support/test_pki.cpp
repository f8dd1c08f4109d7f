#include "support/test_pki.hpp"

#include "net/cert_maker.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <fstream>

namespace edgeprobe::test {

namespace {

constexpr std::int64_t day = 86400;

std::int64_t now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

struct issued {
  ossl::x509 cert;
  ossl::pkey key;
};

issued issue(cert_request r, const issued* by) {
  issued out{{}, make_key(key_kind::ec_p256)};
  std::string error;
  out.cert = make_certificate(r, out.key.get(), by ? by->cert.get() : nullptr, by ? by->key.get() : nullptr, error);
  REQUIRE_MESSAGE(out.cert, error);
  return out;
}

cert_request request(std::string cn, std::vector<std::string> dns, std::int64_t from, std::int64_t to,
                     std::uint64_t serial) {
  cert_request r;
  r.common_name = std::move(cn);
  r.organization = "edgeprobe tests";
  r.dns_names = std::move(dns);
  r.not_before = from;
  r.not_after = to;
  r.serial = serial;
  return r;
}

cert_request ca_request(std::string cn, std::uint64_t serial) {
  auto r = request(std::move(cn), {}, now() - 30 * day, now() + 3650 * day, serial);
  r.ca = true;
  return r;
}

} // namespace

test_pki::test_pki() {
  const auto t = now();
  const auto root = issue(ca_request("edgeprobe test root", 1), nullptr);
  const auto inter = issue(ca_request("edgeprobe test intermediate", 2), &root);
  const auto other = issue(ca_request("edgeprobe other root", 3), nullptr);
  const auto other_inter = issue(ca_request("edgeprobe other intermediate", 4), &other);
  dir_.write("root.pem", to_pem(root.cert.get()));
  dir_.write("other-root.pem", to_pem(other.cert.get()));

  auto write_leaf = [&](const std::string& name, const cert_request& r, const issued* by) {
    const auto leaf = issue(r, by);
    dir_.write(name + ".pem", to_pem(leaf.cert.get()));
    dir_.write(name + "-chain.pem", to_pem(leaf.cert.get()) + (by ? to_pem(by->cert.get()) : ""));
    dir_.write(name + "-inter.pem", by ? to_pem(by->cert.get()) : "");
    dir_.write(name + ".key", to_pem(leaf.key.get()));
  };
  // An hour past whole days, so days_left is the same whole number all test run long.
  auto good = request("good.test", {"good.test", "www.good.test"}, t - day, t + 60 * day + 3600, 100);
  good.ip_addresses = {"127.0.0.1"};
  write_leaf("good", good, &inter);
  write_leaf("soon", request("good.test", {"good.test"}, t - day, t + 10 * day + 3600, 101), &inter);
  write_leaf("expired", request("good.test", {"good.test"}, t - 90 * day, t - 3 * day - 3600, 102), &inter);
  write_leaf("future", request("good.test", {"good.test"}, t + 2 * day, t + 90 * day, 103), &inter);
  write_leaf("wrong", request("other.test", {"other.test"}, t - day, t + 60 * day, 104), &inter);
  write_leaf("wildcard", request("*.wild.test", {"*.wild.test"}, t - day, t + 60 * day, 105), &inter);
  std::vector<std::string> many{"good.test"};
  for (int i = 0; i < 200; ++i) many.push_back("name-" + std::to_string(i) + ".many.test");
  write_leaf("many", request("good.test", many, t - day, t + 60 * day, 106), &inter);
  auto cn_only = request("good.test", {}, t - day, t + 60 * day, 107);
  cn_only.san = false;
  write_leaf("cnonly", cn_only, &inter);
  write_leaf("untrusted", request("good.test", {"good.test"}, t - day, t + 60 * day, 108), &other_inter);
  auto self = request("127.0.0.1", {"localhost"}, t - 400 * day, t - 5 * day, 109);
  self.ip_addresses = {"127.0.0.1"};
  write_leaf("selfexpired", self, nullptr);
  write_leaf("client", request("edgeprobe test client", {}, t - day, t + 60 * day, 110), &inter);
}

leaf_files test_pki::leaf(const std::string& name) const {
  return {dir() / (name + ".pem"), dir() / (name + "-chain.pem"), dir() / (name + "-inter.pem"),
          dir() / (name + ".key")};
}

std::filesystem::path test_pki::many_cas(std::size_t bytes) const {
  const auto path = dir() / ("many-cas-" + std::to_string(bytes) + ".pem");
  std::ofstream out(path);
  std::size_t total = 0;
  const auto key = make_key(key_kind::ec_p256);
  for (std::uint64_t i = 0; total < bytes; ++i) {
    // Names as long as real ones: a 64-character CN (X.520's limit) and an OU.
    auto r = ca_request("Contoso Issuing Certification Authority for Windows servers " + std::to_string(1000 + i),
                        1000 + i);
    r.organizational_unit = "Certification Services of the trusted root store";
    std::string error;
    auto cert = make_certificate(r, key.get(), nullptr, nullptr, error);
    REQUIRE_MESSAGE(cert, error);
    total += 2 + static_cast<std::size_t>(i2d_X509_NAME(X509_get_subject_name(cert.get()), nullptr));
    out << to_pem(cert.get());
  }
  return path;
}

} // namespace edgeprobe::test
