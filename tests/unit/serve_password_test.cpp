// serve's password hashes: bcrypt and SHA-256-crypt as other tools write them.
#include "serve/password_hash.hpp"

#include <doctest/doctest.h>

using namespace edgeprobe;

TEST_SUITE("serve") {

TEST_CASE("bcrypt: OpenBSD's published vector, and a $2b$ hash from Python's crypt module") {
  // The bcrypt test vector for "U*U" with cost 5 (OpenBSD's and every port's test suite).
  const std::string openbsd = "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW";
  CHECK_FALSE(password_hash_problem(openbsd));
  CHECK(password_matches("U*U", openbsd));
  CHECK_FALSE(password_matches("U*V", openbsd));
  CHECK_FALSE(password_matches("", openbsd));

  // python3 -c "import crypt; print(crypt.crypt('s3cret', crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=16)))"
  const std::string python = "$2b$04$QBSg/gUwj.xEe11HPi4.AuKtZccOzF5d4pI9lKj4kwlGQi/IBpXH.";
  CHECK(password_matches("s3cret", python));
  CHECK_FALSE(password_matches("s3cret ", python));
  CHECK_FALSE(password_matches(std::string("s3cret\0x", 8), python)); // a NUL does not cut the password short
}

TEST_CASE("SHA-256-crypt from `openssl passwd -5`") {
  const std::string hash = "$5$edgeprobesalt$xx3Jd8UX5961Tj0EdiT3rMC4H9PkU.zT5Z9CwOtegE6";
  CHECK_FALSE(password_hash_problem(hash));
  CHECK(password_matches("s3cret", hash));
  CHECK_FALSE(password_matches("S3cret", hash));
}

TEST_CASE("hashes that cannot be used are refused with a reason, and never match") {
  for (const std::string bad : {"s3cret",                                  // clear text
                                "$1$salt$qJH7.N4xYta3aEG/dfqo/0",          // MD5-crypt: too weak
                                "ab01FAX.bQRSU",                            // DES
                                "$2b$04$QBSg/gUwj.xEe11HPi4.Au",            // a bcrypt salt without its hash
                                "$2b$99$QBSg/gUwj.xEe11HPi4.AuKtZccOzF5d4pI9lKj4kwlGQi/IBpXH.", // cost out of range
                                "$5$edgeprobesalt$",                         // salt only
                                ""}) {
    CAPTURE(bad);
    const auto problem = password_hash_problem(bad);
    REQUIRE(problem);
    CHECK_FALSE(problem->empty());
    CHECK_FALSE(password_matches("s3cret", bad));
  }
  CHECK(password_hash_problem("s3cret")->find("htpasswd") != std::string::npos); // says how to make one
}

} // TEST_SUITE
