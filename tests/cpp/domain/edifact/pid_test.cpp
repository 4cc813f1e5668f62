// Pid: the one place a Prüfidentifikator is parsed (text "55001" <-> number 55001).
#include <catch2/catch.hpp>

#include <stdexcept>

#include "mako/domain/edifact/pid.hpp"

using mako::edifact::Pid;

TEST_CASE("a Pid is five ASCII digits, as text and as number", "[edifact][pid]") {
  const auto pid = Pid::parse("55001");
  REQUIRE(pid);
  CHECK(pid->number() == 55001u);
  CHECK(pid->str() == "55001");
  CHECK(Pid::parse("01234")->str() == "01234");  // leading zeros survive the round trip
  CHECK(Pid::require("55002") == *Pid::parse("55002"));
  for (const char* bad : {"", "5500", "550011", "55a01", " 5500", "-5500", "５５００１"}) {
    INFO(bad);
    CHECK_FALSE(Pid::parse(bad));
    CHECK_FALSE(mako::edifact::looks_like_pid(bad));
  }
  CHECK_THROWS_WITH(Pid::require("55x01"), "pid: five digits expected, got '55x01'");
  CHECK_THROWS_AS(Pid::require(""), std::invalid_argument);
}
