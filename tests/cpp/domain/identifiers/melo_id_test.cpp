#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>

#include "mako/domain/identifiers/melo_id.hpp"

using mako::identifiers::MeloId;

namespace {
const std::string kValid = "DE0001234567890ABCDEFGHIJ01234567";  // DE + 000123 + 45678 + 20 alnum
}

TEST_CASE("MeLo-ID accepts the documented shape", "[melo]") {
  REQUIRE(kValid.size() == 33);
  auto id = MeloId::parse(kValid);
  CHECK(id.country_code() == "DE");
  CHECK(id.grid_operator_number() == "000123");
  CHECK(id.postcode() == "45678");
  CHECK(id.counter_part() == "90ABCDEFGHIJ01234567");
  CHECK(MeloId::validate("AT9999999999990000000000000000000").ok);
}

TEST_CASE("MeLo-ID rejects every broken part", "[melo]") {
  CHECK(MeloId::validate("").reason == "is empty, expected 33 characters");
  CHECK(MeloId::validate(kValid.substr(0, 32)).reason == "has 32 characters, expected 33");
  CHECK(MeloId::validate(kValid + "0").reason == "has 34 characters, expected 33");
  std::string s = kValid;
  s[0] = 'd';
  CHECK(MeloId::validate(s).reason == "country code has 'd' at position 1, expected an upper-case letter A-Z");
  s = kValid;
  s[1] = '1';
  CHECK_FALSE(MeloId::validate(s).ok);
  s = kValid;
  s[7] = 'X';  // grid operator number
  CHECK(MeloId::validate(s).reason == "contains non-digit 'X' at position 8");
  s = kValid;
  s[12] = 'X';  // postcode
  CHECK(MeloId::validate(s).reason == "contains non-digit 'X' at position 13");
  s = kValid;
  s[20] = 'a';  // lower case is not allowed in the counter part
  CHECK(MeloId::validate(s).reason == "contains 'a' at position 21, expected A-Z or 0-9");
  s = kValid;
  s[32] = '-';
  CHECK_THROWS_WITH(MeloId::parse(s), "MeLo-ID '" + s + "': contains '-' at position 33, expected A-Z or 0-9");
  CHECK_THROWS_AS(MeloId::parse("DE1"), std::invalid_argument);
  CHECK_FALSE(MeloId::try_parse("DE1").has_value());
  CHECK(mako::identifiers::why_invalid_melo_id(kValid) == std::nullopt);
}

TEST_CASE("MeLo-ID generator is deterministic and valid", "[melo]") {
  CHECK(MeloId::generate(3) == MeloId::generate(3));
  CHECK(MeloId::generate(3) != MeloId::generate(4));
  for (std::uint64_t seed = 0; seed < 500; ++seed) REQUIRE(MeloId::validate(MeloId::generate(seed).str()).ok);
  CHECK(MeloId::generate(9).country_code() == "DE");
}
