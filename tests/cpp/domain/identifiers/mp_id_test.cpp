#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>

#include "mako/domain/identifiers/check_digits.hpp"
#include "mako/domain/identifiers/mp_id.hpp"

using mako::identifiers::MpId;
using mako::identifiers::MpIdKind;

TEST_CASE("MP-ID vectors from mako-domain.md", "[mpid]") {
  for (const char* s : {"9900467000000", "9904590000002", "9910960000001"}) {
    INFO(s);
    auto id = MpId::parse(s);
    CHECK(id.kind() == MpIdKind::Bdew);
    CHECK(id.str() == s);
  }
  auto gln = MpId::parse("4012345000023");
  CHECK(gln.kind() == MpIdKind::Gs1);
  CHECK(mako::identifiers::gs1_check_digit("401234500002") == 3);
  CHECK(mako::identifiers::bdew_check_digit("990459000000") == 2);
}

TEST_CASE("MP-ID kind by prefix", "[mpid]") {
  CHECK(mako::identifiers::mp_id_kind_of_prefix("99") == MpIdKind::Bdew);
  CHECK(mako::identifiers::mp_id_kind_of_prefix("98") == MpIdKind::Dvgw);
  CHECK(mako::identifiers::mp_id_kind_of_prefix("97") == MpIdKind::Gs1);
  CHECK(mako::identifiers::mp_id_kind_of_prefix("40") == MpIdKind::Gs1);
  CHECK(mako::identifiers::to_string(MpIdKind::Bdew) == "BDEW");
  CHECK(mako::identifiers::to_string(MpIdKind::Dvgw) == "DVGW");
  CHECK(mako::identifiers::to_string(MpIdKind::Gs1) == "GS1");
  // A DVGW code uses the BDEW procedure over 12 digits.
  auto dvgw = MpId::from_base("980000012345");
  CHECK(dvgw.kind() == MpIdKind::Dvgw);
  CHECK(dvgw.str().back() - '0' == mako::identifiers::bdew_check_digit("980000012345"));
}

TEST_CASE("MP-ID check digit procedure depends on the prefix", "[mpid]") {
  // The same 12 digits get different check digits under BDEW and GS1: the GS1 digit must be
  // rejected for a 99-code and vice versa.
  const int bdew = mako::identifiers::bdew_check_digit("990459000000");
  const int gs1 = mako::identifiers::gs1_check_digit("990459000000");
  REQUIRE(bdew != gs1);
  CHECK_FALSE(MpId::validate("990459000000" + std::to_string(gs1)).ok);
  CHECK_THROWS_WITH(MpId::parse("9904590000003"),
                    "MP-ID '9904590000003': check digit is 3, expected 2 (BDEW procedure)");
  CHECK_THROWS_WITH(MpId::parse("4012345000024"),
                    "MP-ID '4012345000024': check digit is 4, expected 3 (GS1 procedure)");
  CHECK_FALSE(MpId::validate("4012345000020").ok);
}

TEST_CASE("MP-ID rejects wrong length and non-digits", "[mpid]") {
  CHECK(MpId::validate("").reason == "is empty, expected 13 characters");
  CHECK(MpId::validate("990046700000").reason == "has 12 characters, expected 13");
  CHECK(MpId::validate("99004670000000").reason == "has 14 characters, expected 13");
  CHECK(MpId::validate("99004670O0000").reason == "contains non-digit 'O' at position 9");
  CHECK_THROWS_AS(MpId::parse("abc"), std::invalid_argument);
  CHECK_THROWS_WITH(MpId::parse("abc"), "MP-ID 'abc': has 3 characters, expected 13");
  CHECK(mako::identifiers::why_invalid_mp_id("9900467000000") == std::nullopt);
  CHECK_FALSE(MpId::try_parse("9900467000001").has_value());
  CHECK_THROWS_AS(MpId::from_base("99004670000"), std::invalid_argument);
}

TEST_CASE("MP-ID generator is deterministic, valid, and of the asked kind", "[mpid]") {
  for (auto kind : {MpIdKind::Bdew, MpIdKind::Dvgw, MpIdKind::Gs1}) {
    for (std::uint64_t seed = 0; seed < 300; ++seed) {
      auto id = MpId::generate(seed, kind);
      REQUIRE(MpId::validate(id.str()).ok);
      REQUIRE(id.kind() == kind);
    }
    CHECK(MpId::generate(7, kind) == MpId::generate(7, kind));
  }
  CHECK(MpId::generate(1) != MpId::generate(2));
}
