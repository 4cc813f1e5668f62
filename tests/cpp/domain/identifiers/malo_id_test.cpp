#include <catch2/catch.hpp>

#include <set>
#include <stdexcept>
#include <string>

#include "mako/domain/identifiers/check_digits.hpp"
#include "mako/domain/identifiers/malo_id.hpp"

using mako::identifiers::MaloId;

TEST_CASE("MaLo check digit vectors from mako-domain.md", "[malo]") {
  CHECK(mako::identifiers::bdew_check_digit("4137355924") == 1);
  CHECK(mako::identifiers::bdew_check_digit("5123869601") == 2);
  CHECK(MaloId::from_base("4137355924").str() == "41373559241");
  CHECK(MaloId::from_base("5123869601").str() == "51238696012");
  CHECK(MaloId::parse("41373559241").str() == "41373559241");
  CHECK(MaloId::parse("51238696012").check_digit() == 2);
  CHECK(mako::identifiers::is_valid_malo_id("41373559241"));
  CHECK_FALSE(mako::identifiers::why_invalid_malo_id("51238696012").has_value());
}

TEST_CASE("MaLo-ID rejects a wrong check digit with field and reason", "[malo]") {
  CHECK_THROWS_WITH(MaloId::parse("41373559240"), "MaLo-ID '41373559240': check digit is 0, expected 1");
  CHECK_THROWS_AS(MaloId::parse("41373559240"), std::invalid_argument);
  // Every wrong check digit is caught.
  for (char c = '0'; c <= '9'; ++c) {
    std::string s = std::string("4137355924") + c;
    CHECK(MaloId::validate(s).ok == (c == '1'));
  }
  CHECK(mako::identifiers::why_invalid_malo_id("51238696013") ==
        std::optional<std::string>("check digit is 3, expected 2"));
}

TEST_CASE("MaLo-ID rejects wrong length, non-digits and a leading zero", "[malo]") {
  CHECK(MaloId::validate("").reason == "is empty, expected 11 characters");
  CHECK(MaloId::validate("4137355924").reason == "has 10 characters, expected 11");
  CHECK(MaloId::validate("413735592411").reason == "has 12 characters, expected 11");
  CHECK(MaloId::validate("41373A59241").reason == "contains non-digit 'A' at position 6");
  CHECK(MaloId::validate(" 4137355924").reason == "contains non-digit ' ' at position 1");
  CHECK(MaloId::validate("4137355924\n").reason == "contains non-digit \\x0A at position 11");
  // 0137355924 would have check digit 5 under the procedure; the leading zero is still rejected.
  CHECK(MaloId::validate("01373559245").reason == "must not start with 0");
  CHECK_THROWS_WITH(MaloId::parse("0137355924x"), "MaLo-ID '0137355924x': contains non-digit 'x' at position 11");
  CHECK_FALSE(MaloId::try_parse("4137355924").has_value());
  CHECK(MaloId::try_parse("41373559241").has_value());
  CHECK_THROWS_AS(MaloId::from_base("0137355924"), std::invalid_argument);
  CHECK_THROWS_AS(MaloId::from_base("413735592"), std::invalid_argument);
}

TEST_CASE("MaLo-ID generator is deterministic and valid", "[malo]") {
  CHECK(MaloId::generate(42) == MaloId::generate(42));
  std::set<std::string> seen;
  for (std::uint64_t seed = 0; seed < 1000; ++seed) {
    auto id = MaloId::generate(seed);
    REQUIRE(MaloId::validate(id.str()).ok);
    seen.insert(id.str());
  }
  CHECK(seen.size() == 1000);
}
