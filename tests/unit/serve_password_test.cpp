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

TEST_CASE("serve hash cost: read from the setting, bcrypt's log2 cost and SHA-256-crypt's rounds (5000 unwritten)") {
  const auto bcrypt = cost_of("$2b$12$QBSg/gUwj.xEe11HPi4.AuKtZccOzF5d4pI9lKj4kwlGQi/IBpXH.");
  REQUIRE(bcrypt);
  CHECK(bcrypt->scheme == "$2b$");
  CHECK(bcrypt->value == 12);
  const auto sha = cost_of("$5$rounds=20000$edgeprobesalt$xx3Jd8UX5961Tj0EdiT3rMC4H9PkU.zT5Z9CwOtegE6");
  REQUIRE(sha);
  CHECK(sha->scheme == "$5$");
  CHECK(sha->value == 20000);
  CHECK(cost_of("$5$edgeprobesalt$xx3Jd8UX5961Tj0EdiT3rMC4H9PkU.zT5Z9CwOtegE6")->value == 5000);
  CHECK_FALSE(cost_of("$2b$x1$QBSg"));
  CHECK_FALSE(cost_of("$1$salt$qJH7.N4xYta3aEG/dfqo/0"));
  // One unit for both: bcrypt 10 (1024 rounds) is more work than SHA-256-crypt's default.
  CHECK(cost_of("$2b$10$QBSg/gUwj.xEe11HPi4.AuKtZccOzF5d4pI9lKj4kwlGQi/IBpXH.")->work() > sha->work());
}

TEST_CASE("serve: a hash that costs more than the maximum is refused, with the maximum in the message") {
  // Just above the limits: accepted (after seconds of hashing) before the limit existed.
  const std::string bcrypt_15 = "$2b$15$QBSg/gUwj.xEe11HPi4.AuKtZccOzF5d4pI9lKj4kwlGQi/IBpXH.";
  const std::string sha_above =
      "$5$rounds=" + std::to_string(max_sha_crypt_rounds + 1) + "$edgeprobesalt$xx3Jd8UX5961Tj0EdiT3rMC4H9PkU.zT5Z9CwOtegE6";
  const auto bcrypt_problem = password_hash_problem(bcrypt_15);
  REQUIRE(bcrypt_problem);
  CHECK(bcrypt_problem->find("cost 15") != std::string::npos);
  CHECK(bcrypt_problem->find("maximum of " + std::to_string(max_bcrypt_cost)) != std::string::npos);
  const auto sha_problem = password_hash_problem(sha_above);
  REQUIRE(sha_problem);
  CHECK(sha_problem->find("maximum of " + std::to_string(max_sha_crypt_rounds)) != std::string::npos);
}

TEST_CASE("serve: the review's hashes: bcrypt cost 31 and 999,999,999 SHA-256-crypt rounds are refused without hashing") {
  CHECK(password_hash_problem("$2b$31$QBSg/gUwj.xEe11HPi4.AuKtZccOzF5d4pI9lKj4kwlGQi/IBpXH."));
  CHECK(password_hash_problem("$5$rounds=999999999$edgeprobesalt$xx3Jd8UX5961Tj0EdiT3rMC4H9PkU.zT5Z9CwOtegE6"));
}

TEST_CASE("serve decoy hash: the scheme and cost it was made for, well-formed, matched by no password") {
  const auto decoy = decoy_hash({"$2b$", 5});
  CHECK(cost_of(decoy)->scheme == "$2b$");
  CHECK(cost_of(decoy)->value == 5);
  CHECK_FALSE(password_hash_problem(decoy));
  CHECK_FALSE(password_matches("", decoy));
  CHECK_FALSE(password_matches("s3cret", decoy));
  const auto sha = decoy_hash({"$5$", 6000});
  CHECK(cost_of(sha)->value == 6000);
  CHECK_FALSE(password_hash_problem(sha));
  CHECK_FALSE(password_matches("", sha));
}

} // TEST_SUITE
