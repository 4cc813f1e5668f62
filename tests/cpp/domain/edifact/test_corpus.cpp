// The generated corpus: every valid example parses and validates, every invalid example fails
// with the documented location.
#include <catch2/catch.hpp>

#include <map>
#include <set>

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
                    CHECK(t.answer_code == "A01");
                }
        }
    }
    CHECK(found_answer);
}

TEST_CASE("every invalid example fails with the expected location") {
    const auto invalid = corpus::invalid_examples();
    std::set<std::string> names;
    for (const auto& ex : invalid) names.insert(ex.name);
    for (const char* required : {"missing_unt", "wrong_unt_count", "wrong_unz_count", "missing_unz", "bad_escape_at_end",
                                 "truncated", "utf8_in_unoc", "utf8_in_unoa", "unknown_pid", "pid_in_bgm",
                                 "nad_unb_mismatch"})
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
    // UNA UNB(1) UNH(2) BGM(3) DTM(4) NAD(5) NAD(6) IDE(7) DTM(8) STS(9) LOC(10) RFF(11) UNT(12) UNZ(13).
    std::map<std::string, corpus::InvalidExample> by_name;
    for (auto& ex : corpus::invalid_examples()) by_name[ex.name] = ex;
    CHECK(by_name.at("wrong_unt_count").segment_number == 12);
    CHECK(by_name.at("wrong_unz_count").segment_number == 13);
    CHECK(by_name.at("missing_unt").segment_number == 12);  // UNZ moved up to 12
    CHECK(by_name.at("missing_unz").segment_number == 13);
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
