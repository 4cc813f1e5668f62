// Every invalid corpus example is placed at the CONTRL level it belongs to, with the UN/EDIFACT
// syntax error code of its kind (never the blanket 18) and the faulty segment named.
#include <catch2/catch.hpp>

#include <map>

#include "mako/domain/edifact/contrl.hpp"
#include "mako/domain/edifact/corpus.hpp"
#include "mako/domain/edifact/parser.hpp"
#include "mako/domain/edifact/syntax_fault.hpp"
#include "mako/domain/edifact/validation.hpp"

using namespace mako::edifact;

namespace {

ParseError error_of(const corpus::InvalidExample& ex) {
  try {
    const Interchange ic = parse(ex.bytes);
    validate_messages(ic);
  } catch (const ParseError& e) {
    return e;
  }
  FAIL("expected a ParseError for " << ex.name);
  throw;
}

struct Expected {
  SyntaxFault::Level level;
  std::string code;
  std::string service_segment;   // Interchange / Message level
  std::size_t segment_position;  // Segment level
};

}  // namespace

TEST_CASE("syntax faults of the invalid corpus: level, code, segment", "[edifact][contrl]") {
  using L = SyntaxFault::Level;
  const std::map<std::string, Expected> expected = {
      {"missing_unt", {L::Message, "13", "UNT", 0}},
      {"wrong_unt_count", {L::Message, "29", "UNT", 0}},
      {"wrong_unt_ref", {L::Message, "28", "UNT", 0}},
      {"wrong_unz_count", {L::Interchange, "29", "UNZ", 0}},
      {"wrong_unz_ref", {L::Interchange, "28", "UNZ", 0}},
      {"missing_unz", {L::Interchange, "13", "UNZ", 0}},
      {"bad_escape_at_end", {L::Interchange, "21", "UNB", 0}},
      {"bad_escape_sequence", {L::Interchange, "21", "UNB", 0}},
      {"utf8_in_unoc", {L::Interchange, "20", "UNB", 0}},
      {"utf8_in_unoa", {L::Interchange, "21", "UNB", 0}},
      {"lowercase_in_unoa", {L::Interchange, "21", "UNB", 0}},
      {"control_char", {L::Interchange, "21", "UNB", 0}},
  };
  std::size_t checked = 0;
  for (const auto& ex : corpus::invalid_examples()) {
    INFO(ex.name);
    const ParseError e = error_of(ex);
    const SyntaxFault f = locate_syntax_fault(e, ex.bytes);
    CHECK(f.error_code != "18");
    CHECK_FALSE(f.error_code.empty());
    if (f.level != L::Interchange) {
      CHECK(f.message_type == "UTILMD");
      CHECK_FALSE(f.message_reference.empty());
    }
    if (f.level == L::Segment) {
      // UCS 0096 counts from UNH = 1: the faulty segment's number minus UNH's, plus one.
      const Interchange ic = parse(ex.bytes, ParseOptions{true, false});
      CHECK(f.segment_position == e.segment_number() - ic.messages.at(0).number + 1);
    }
    const auto it = expected.find(ex.name);
    if (it == expected.end()) continue;
    ++checked;
    CHECK(f.level == it->second.level);
    CHECK(f.error_code == it->second.code);
    CHECK(f.service_segment == it->second.service_segment);
  }
  CHECK(checked == expected.size());
}

TEST_CASE("a body segment the typed view refuses: UCM + UCS position + UCD element", "[edifact][contrl]") {
  for (const auto& ex : corpus::invalid_examples()) {
    if (ex.name != "nad_unb_mismatch" && ex.name != "unknown_pid") continue;
    INFO(ex.name);
    const ParseError e = error_of(ex);
    const SyntaxFault f = locate_syntax_fault(e, ex.bytes);
    REQUIRE(f.level == SyntaxFault::Level::Segment);
    CHECK(f.error_code == "12");
    ContrlMessage c;
    add_syntax_fault(c, f);
    CHECK(c.action == kContrlRejected);
    CHECK_FALSE(c.error_code);
    REQUIRE(c.messages.size() == 1);
    CHECK(c.messages[0].action == kContrlRejected);
    REQUIRE(c.messages[0].segment_errors.size() == 1);
    const auto& ucs = c.messages[0].segment_errors[0];
    CHECK(ucs.segment_position == std::to_string(f.segment_position));
    REQUIRE(ucs.element_errors.size() == 1);
    CHECK(ucs.element_errors[0].error_code == "12");
    if (ex.name == "nad_unb_mismatch") {  // NAD+MS+<id>::293: the id is element 2, component 1
      CHECK(ucs.element_errors[0].element_position == "2");
      CHECK(ucs.element_errors[0].component_position == "1");
    }
  }
}

TEST_CASE("interchange and message faults go to UCI / UCM with DE0013", "[edifact][contrl]") {
  ContrlMessage c;
  add_syntax_fault(c, wrong_recipient_fault());
  CHECK(c.action == kContrlRejected);
  CHECK(c.error_code == "7");
  CHECK(c.service_segment == "UNB");
  CHECK(c.messages.empty());

  const std::string unt =
      "UNB+UNOC:3+9904590000002:500+9900467000000:500+250602:0945+IC1'UNH+M1+UTILMD:D:11A:UN:S2.1'"
      "BGM+E01+D1'UNT+9+M1'UNZ+1+IC1'";
  try {
    (void)parse(unt, ParseOptions{true, false});
    FAIL("expected a ParseError");
  } catch (const ParseError& e) {
    ContrlMessage m;
    add_syntax_fault(m, locate_syntax_fault(e, unt));
    REQUIRE(m.messages.size() == 1);
    const auto& ucm = m.messages[0];
    CHECK(ucm.message_reference == "M1");
    CHECK(ucm.association == "S2.1");
    CHECK(ucm.error_code == "29");
    CHECK(ucm.service_segment == "UNT");
    CHECK(ucm.segment_errors.empty());
  }
}
