// The generated corpus: every valid example parses and validates, every invalid example fails
// with the documented location.
#include <catch2/catch.hpp>

#include <map>
#include <set>

#include "mako/domain/edifact/ahb_check.hpp"
#include "mako/domain/edifact/aperak.hpp"
#include "mako/domain/edifact/contrl.hpp"
#include "mako/domain/edifact/corpus.hpp"
#include "mako/domain/edifact/parser.hpp"
#include "mako/domain/edifact/utilmd.hpp"
#include "mako/domain/edifact/validation.hpp"

using namespace mako::edifact;

TEST_CASE("corpus covers every GPKE step and acknowledgement") {
  std::set<std::string> pids;
  std::set<std::string> acks;
  for (const auto& ex : corpus::gpke_examples()) {
    INFO(ex.name);
    const Interchange ic = parse(ex.bytes);
    REQUIRE_NOTHROW(validate_messages(ic));
    for (const auto& m : ic.messages) {
      if (m.type == "UTILMD")
        for (const auto& t : read_utilmd(m).transactions) pids.insert(t.pid);
      if (m.type == "APERAK") acks.insert(read_aperak(m).positive ? "APERAK312" : "APERAK313");
      if (m.type == "CONTRL") acks.insert(std::string("CONTRL") + read_contrl(m).action);
    }
  }
  const std::set<std::string> expected_pids = {"55001", "55002", "55003", "55004", "55005", "55006",
                                               "55007", "55008", "55009", "55010", "55011", "55012",
                                               "55016", "55017", "55018", "55036", "55037"};
  CHECK(pids == expected_pids);
  CHECK(acks == std::set<std::string>{"APERAK312", "APERAK313", "CONTRL7", "CONTRL4"});
}

TEST_CASE("answers reference the request's Vorgangsnummer") {
  const auto examples = corpus::gpke_examples();
  const auto request = read_utilmd(parse(examples.at(0).bytes).messages.at(0));
  REQUIRE(request.transactions.at(0).pid == "55001");
  bool found_answer = false;
  for (const auto& ex : examples) {
    const Interchange ic = parse(ex.bytes);
    for (const auto& m : ic.messages) {
      if (m.type != "UTILMD") continue;
      for (const auto& t : read_utilmd(m).transactions)
        if (t.pid == "55002") {
          found_answer = true;
          CHECK(t.referenced_transaction == request.transactions.at(0).reference);
          CHECK(t.answer_code == "A51");
          CHECK(t.answer_code_list == "E_0623");
        }
    }
  }
  CHECK(found_answer);
}

TEST_CASE("every invalid example fails with the expected location") {
  const auto invalid = corpus::invalid_examples();
  std::set<std::string> names;
  for (const auto& ex : invalid) names.insert(ex.name);
  for (const char* required :
       {"missing_unt", "wrong_unt_count", "wrong_unz_count", "missing_unz", "bad_escape_at_end", "truncated",
        "utf8_in_unoc", "utf8_in_unoa", "unknown_pid", "pid_in_bgm", "nad_unb_mismatch"})
    CHECK(names.count(required) == 1);

  for (const auto& ex : invalid) {
    INFO(ex.name << ": " << ex.description);
    bool threw = false;
    try {
      const Interchange ic = parse(ex.bytes);
      CHECK_FALSE(ex.fails_in_parse);
      validate_messages(ic);
    } catch (const ParseError& e) {
      threw = true;
      INFO(e.what());
      CHECK(e.segment_number() == ex.segment_number);
      CHECK(e.byte_offset() == ex.byte_offset);
      CHECK(e.segment_tag() == ex.segment_tag);
    }
    CHECK(threw);
  }
}

TEST_CASE("invalid examples: hand-checked locations") {
  // Independent of the corpus' own bookkeeping: the 55001 interchange is
  // UNA UNB(1) UNH(2) BGM(3) DTM(4) NAD(5) NAD(6) IDE(7) DTM(8) STS(9) LOC(10) RFF(11), then the
  // AHB content of a 55001: SEQ PIA CCI SEQ CCI SEQ CCI SEQ CCI NAD NAD (12-22), UNT(23) UNZ(24).
  std::map<std::string, corpus::InvalidExample> by_name;
  for (auto& ex : corpus::invalid_examples()) by_name[ex.name] = ex;
  CHECK(by_name.at("wrong_unt_count").segment_number == 23);
  CHECK(by_name.at("wrong_unz_count").segment_number == 24);
  CHECK(by_name.at("missing_unt").segment_number == 23);  // UNZ moved up to 23
  CHECK(by_name.at("missing_unz").segment_number == 24);
  CHECK(by_name.at("truncated").segment_number == 10);
  CHECK(by_name.at("pid_in_bgm").segment_number == 3);
  CHECK(by_name.at("nad_unb_mismatch").segment_number == 5);
  CHECK(by_name.at("unknown_pid").segment_number == 11);
  CHECK(by_name.at("bad_escape_at_end").segment_number == 4);
  const auto& trunc = by_name.at("truncated");
  CHECK(trunc.byte_offset == trunc.bytes.size());
}

TEST_CASE("bulk interchange for benchmarks") {
  const std::string bytes = corpus::utilmd_bulk_interchange(50);
  const Interchange ic = parse(bytes);
  CHECK(ic.messages.size() == 50);
  CHECK_NOTHROW(validate_messages(ic));
}

TEST_CASE("every corpus UTILMD is complete per the AHB of its PID, in both releases", "[ahb]") {
  using namespace std::chrono;
  for (const sys_seconds date :
       {corpus::kDefaultMessageDate, sys_seconds{sys_days{year{2026} / November / 2} + hours{10}}}) {
    std::size_t checked = 0;
    for (const auto& ex : corpus::gpke_examples(date)) {
      for (const auto& m : parse(ex.bytes).messages) {
        if (m.type != "UTILMD") continue;
        const auto u = read_utilmd(m);
        CHECK(u.association == (date < sys_days{year{2026} / October / 1} ? "S2.1" : "S2.2"));
        const auto violations = check_utilmd_ahb(u);
        for (const auto& v : violations) FAIL_CHECK(ex.name << ": " << v.message());
        ++checked;
      }
    }
    CHECK(checked >= 20);
  }
}

TEST_CASE("the AHB check names what is missing, forbidden or of the wrong code", "[ahb]") {
  auto u = read_utilmd(parse(corpus::gpke_examples().at(0).bytes).messages.at(0));  // a complete 55001
  REQUIRE(check_utilmd_ahb(u).empty());
  auto& t = u.transactions.at(0);
  t.customer.reset();
  t.referenced_transaction = "VG0";
  t.reason_supplement = "ZW7";
  t.answer_code = "A51";
  t.answer_code_list = "E_0623";
  const auto v = check_utilmd_ahb(u);
  auto has = [&](std::string_view segment, std::string_view problem) {
    for (const auto& x : v)
      if (x.segment == segment && x.problem.find(problem) != std::string::npos) return true;
    return false;
  };
  CHECK(has("SG12 NAD+Z09", "missing: Muss"));
  CHECK(has("SG6 RFF+TN", "not part of the Prüfschablone of 55001"));
  CHECK(has("SG4 STS+7", "55001 admits ZW4"));
  CHECK(has("SG4 STS+E01", "not part of the Prüfschablone"));
  CHECK(v.front().message().find("55001 transaction ") == 0);

  // An answer code of the wrong kind: a Zustimmung in an Ablehnung.
  auto r = read_utilmd(parse(corpus::gpke_examples().at(7).bytes).messages.at(0));
  REQUIRE(r.transactions.at(0).pid == "55003");
  REQUIRE(check_utilmd_ahb(r).empty());
  r.transactions.at(0).answer_code = "A51";
  r.transactions.at(0).answer_code_list = "E_0623";
  const auto w = check_utilmd_ahb(r);
  REQUIRE(w.size() == 1);
  CHECK(w[0].problem.find("'A51' is a Zustimmung of E_0623; 55003 is an Ablehnung") != std::string::npos);

  // A release that is not in force on the message date.
  u = read_utilmd(parse(corpus::gpke_examples().at(0).bytes).messages.at(0));
  u.association = "S2.2";
  const auto x = check_utilmd_ahb(u);
  REQUIRE_FALSE(x.empty());
  CHECK(x[0].segment == "UNH");
  CHECK(x[0].problem.find("S2.1 is in force") != std::string::npos);
}
