#include "support/openssl_cli.hpp"

#include "net/tls_context.hpp"
#include "support/process.hpp"

#include <doctest/doctest.h>
#include <openssl/x509.h>

#include <fstream>
#include <sstream>

namespace edgeprobe::test {

namespace {

std::string after(const std::string& line, const std::string& prefix) {
  return line.starts_with(prefix) ? line.substr(prefix.size()) : std::string{};
}

// "2026-11-23 08:34:10Z" → "2026-11-23T08:34:10Z", as the probe writes dates.
std::string iso(std::string date) {
  if (date.size() > 10 && date[10] == ' ') date[10] = 'T';
  return date;
}

std::vector<std::string> split_sans(const std::string& line) {
  std::vector<std::string> out;
  std::size_t start = line.find_first_not_of(' ');
  while (start != std::string::npos && start < line.size()) {
    const auto comma = line.find(", ", start);
    out.push_back(line.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    start = comma == std::string::npos ? comma : comma + 2;
  }
  return out;
}

} // namespace

x509_cli_facts openssl_x509(const std::filesystem::path& pem) {
  const auto r = run_process({"openssl", "x509", "-in", pem.string(), "-noout", "-subject", "-issuer", "-serial",
                              "-dates", "-dateopt", "iso_8601", "-fingerprint", "-sha256", "-ext", "subjectAltName",
                              "-text", "-nameopt", "rfc2253,-esc_msb,sep_comma_plus_space"});
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  x509_cli_facts f;
  std::istringstream lines(r.out);
  std::string line;
  bool san_next = false;
  while (std::getline(lines, line)) {
    if (san_next) {
      f.sans = split_sans(line);
      san_next = false;
    }
    if (auto v = after(line, "subject="); !v.empty() && f.subject.empty()) f.subject = v;
    if (auto v = after(line, "issuer="); !v.empty() && f.issuer.empty()) f.issuer = v;
    if (auto v = after(line, "serial="); !v.empty()) f.serial = v;
    if (auto v = after(line, "notBefore="); !v.empty()) f.not_before = iso(v);
    if (auto v = after(line, "notAfter="); !v.empty()) f.not_after = iso(v);
    if (auto v = after(line, "sha256 Fingerprint="); !v.empty()) f.sha256 = v;
    if (line.starts_with("X509v3 Subject Alternative Name")) san_next = true;
    if (auto p = line.find("Public-Key: ("); p != std::string::npos && !f.key_bits)
      f.key_bits = std::stoi(line.substr(p + 13));
    if (auto p = line.find("Signature Algorithm: "); p != std::string::npos && f.signature_algorithm.empty())
      f.signature_algorithm = line.substr(p + 21);
  }
  return f;
}

std::string openssl_s_client(std::uint16_t port, const std::vector<std::string>& extra_args) {
  std::vector<std::string> argv{"openssl", "s_client", "-connect", "127.0.0.1:" + std::to_string(port)};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  const auto r = run_process(argv, std::chrono::seconds(20));
  return r.out + r.err;
}

std::vector<std::string> acceptable_ca_names(const std::string& output) {
  std::vector<std::string> names;
  std::istringstream lines(output);
  std::string line;
  bool in_list = false;
  while (std::getline(lines, line)) {
    if (line.starts_with("Acceptable client certificate CA names")) {
      in_list = true;
    } else if (in_list) {
      // The list ends at the next section ("Requested Signature Algorithms…", "Client Certificate Types…").
      if (line.starts_with("Requested") || line.starts_with("Client Certificate Types") || line.starts_with("Shared") ||
          line.starts_with("Peer") || line.starts_with("---"))
        break;
      names.push_back(line);
    }
  }
  return names;
}

std::size_t ca_list_bytes(const std::filesystem::path& pem) {
  std::ifstream in(pem);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::size_t total = 0;
  for (const auto& cert : read_pem_certificates(text))
    total += 2 + static_cast<std::size_t>(i2d_X509_NAME(X509_get_subject_name(cert.get()), nullptr));
  return total;
}

} // namespace edgeprobe::test
