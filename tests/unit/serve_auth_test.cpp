// serve's basic auth without sockets: which hash an unknown user's password is
// checked against (so the time a wrong password takes does not tell which
// names exist), and what is decided without hashing (the I/O thread's part).
#include "serve/basic_auth.hpp"
#include "serve/password_hash.hpp"
#include "wire/base64.hpp"

#include <doctest/doctest.h>

using namespace edgeprobe;

namespace {

// python3 -c "import crypt; print(crypt.crypt('s3cret', crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=16)))"
const char* bcrypt_4_s3cret = "$2b$04$QBSg/gUwj.xEe11HPi4.AuKtZccOzF5d4pI9lKj4kwlGQi/IBpXH.";
// `openssl passwd -5 -salt edgeprobesalt s3cret` (5000 rounds)
const char* sha_s3cret = "$5$edgeprobesalt$xx3Jd8UX5961Tj0EdiT3rMC4H9PkU.zT5Z9CwOtegE6";

std::string basic(const std::string& pair) {
  return "Basic " + base64_encode(std::string_view(pair));
}

} // namespace

TEST_SUITE("serve") {

TEST_CASE("serve auth: an unknown user's decoy has the cost of the most expensive configured user, in its scheme") {
  SUBCASE("bcrypt users of cost 4 and 12: a cost-12 decoy, whoever comes first") {
    basic_auth auth({{"cheap", bcrypt_4_s3cret}, {"dear", "$2y$12$QBSg/gUwj.xEe11HPi4.AuKtZccOzF5d4pI9lKj4kwlGQi/IBpXH."}});
    const auto cost = cost_of(auth.decoy());
    REQUIRE(cost);
    CHECK(cost->scheme == "$2y$");
    CHECK(cost->value == 12);
  }
  SUBCASE("SHA-256-crypt of 5000 and 400,000 rounds: 400,000") {
    basic_auth auth({{"a", "$5$rounds=400000$edgeprobesalt$xx3Jd8UX5961Tj0EdiT3rMC4H9PkU.zT5Z9CwOtegE6"}, {"b", sha_s3cret}});
    CHECK(cost_of(auth.decoy())->scheme == "$5$");
    CHECK(cost_of(auth.decoy())->value == 400000);
  }
  SUBCASE("mixed schemes: the one that is more work") {
    basic_auth cheap_bcrypt({{"b", bcrypt_4_s3cret}, {"s", sha_s3cret}}); // 16 bcrypt rounds < 5000 SHA rounds
    CHECK(cost_of(cheap_bcrypt.decoy())->scheme == "$5$");
    basic_auth dear_bcrypt({{"s", sha_s3cret}, {"b", "$2b$10$QBSg/gUwj.xEe11HPi4.AuKtZccOzF5d4pI9lKj4kwlGQi/IBpXH."}});
    CHECK(cost_of(dear_bcrypt.decoy())->scheme == "$2b$");
    CHECK(cost_of(dear_bcrypt.decoy())->value == 10);
  }
}

TEST_CASE("serve auth: decided without hashing only for a malformed header or a pair verified before") {
  basic_auth auth({{"prom", bcrypt_4_s3cret}, {"other", sha_s3cret}});
  CHECK(auth.verdict_without_hashing("") == false);
  CHECK(auth.verdict_without_hashing("Bearer abc") == false);
  CHECK(auth.verdict_without_hashing(basic("no colon")) == false);
  // An unknown name is not refused at once: that would tell it does not exist.
  CHECK_FALSE(auth.verdict_without_hashing(basic("nobody:s3cret")).has_value());
  CHECK_FALSE(auth.verdict_without_hashing(basic("prom:s3cret")).has_value());
  CHECK_FALSE(auth.allows(basic("nobody:s3cret")));
  CHECK_FALSE(auth.allows(basic("prom:wrong")));
  CHECK(auth.allows(basic("prom:s3cret")));
  CHECK(auth.verdict_without_hashing(basic("prom:s3cret")) == true);
  CHECK_FALSE(auth.verdict_without_hashing(basic("prom:wrong")).has_value()); // a wrong password still costs a hash
  CHECK(auth.allows(basic("other:s3cret")));
}

} // TEST_SUITE
