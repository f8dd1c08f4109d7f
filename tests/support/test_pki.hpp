// Test helper: a PKI of the test's own, written as PEM files into a temp
// directory — a root, an intermediate, leaves for every certificate story the
// tls tests tell (good, expired, not yet valid, self-signed, wrong name,
// wildcard, many SANs, CN only), and a second, untrusted root with its own
// intermediate and leaf.
#pragma once
#include "support/temp_dir.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace edgeprobe::test {

struct leaf_files {
  std::filesystem::path cert;  // the leaf alone
  std::filesystem::path chain; // the leaf, then its intermediate (what a server should send)
  std::filesystem::path intermediate; // the intermediate alone (empty file for the self-signed)
  std::filesystem::path key;
};

class test_pki {
public:
  test_pki();

  const std::filesystem::path& dir() const { return dir_.path(); }
  std::filesystem::path root() const { return dir() / "root.pem"; }             // trust this (ca_file)
  std::filesystem::path other_root() const { return dir() / "other-root.pem"; } // not trusted by the tests

  // Leaves issued by the intermediate of root(), for 127.0.0.1 and these names:
  leaf_files good() const { return leaf("good"); }                 // good.test, www.good.test, IP 127.0.0.1; 60 days and an hour
  leaf_files expires_soon() const { return leaf("soon"); }         // good.test; 10 days
  leaf_files expired() const { return leaf("expired"); }           // good.test; ended 3 days ago
  leaf_files not_yet_valid() const { return leaf("future"); }      // good.test; starts in 2 days
  leaf_files wrong_name() const { return leaf("wrong"); }          // other.test only
  leaf_files wildcard() const { return leaf("wildcard"); }         // *.wild.test
  leaf_files many_sans() const { return leaf("many"); }            // good.test + name-0..199.many.test
  leaf_files cn_only() const { return leaf("cnonly"); }            // CN good.test, no subjectAltName
  leaf_files untrusted() const { return leaf("untrusted"); }       // good.test, from other_root()'s intermediate
  // Self-signed, expired 5 days ago, for 127.0.0.1 (the README's first example).
  leaf_files self_signed_expired() const { return leaf("selfexpired"); }
  leaf_files client() const { return leaf("client"); }             // a client certificate (clientAuth)

  // PEM files of many CA certificates with long names (for client CA lists): at
  // least `bytes` of DER names.
  std::filesystem::path many_cas(std::size_t bytes) const;

private:
  leaf_files leaf(const std::string& name) const;
  temp_dir dir_;
};

} // namespace edgeprobe::test
