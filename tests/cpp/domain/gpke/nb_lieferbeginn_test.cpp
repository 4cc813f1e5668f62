// NB side of the LFW24 supplier switch (docs/mako-domain.md, "The GPKE table" and "The NB's checks, in order").
#include <catch2/catch.hpp>

#include "gpke_test_support.hpp"
#include "mako/core/errors.hpp"
#include "mako/domain/gpke/nb_lieferbeginn.hpp"

using namespace gpke_test;
using namespace mako::gpke;

namespace {

// Worked example: start Wednesday 2025-03-05, ÜT Monday 2025-03-03 (CET), 1st WT Tuesday 03-04.
const auto kStart = make_date(2025, 3, 5);
const Instant kUet = berlin(2025, 3, 3, 14);

ReceiveAnmeldung anmeldung(NbStammdaten stammdaten = {}, Instant received = kUet, std::string reason = "E03") {
  return ReceiveAnmeldung{anmeldung_55001(kStart, std::move(reason)), received, std::nullopt, std::move(stammdaten)};
}
NbStammdaten with_lfa() { return NbStammdaten{kLfa, std::nullopt, std::nullopt}; }

ReceiveLfaAnswer lfa_answer(const NbLieferbeginnState& s, const std::string& pid, Instant at,
                            std::optional<std::string> code = std::nullopt) {
  UtilmdVorgang v;
  v.pid = pid;
  v.transaction_reference = "LFA-ANS-1";
  v.referenced_transaction = s.beendigung_reference;
  v.malo = kMalo;
  v.start = kStart;
  v.transaction_reason = "E03";
  v.answer_code = std::move(code);
  v.sender = kLfa;
  v.receiver = kNb;
  return ReceiveLfaAnswer{v, at, std::nullopt};
}

}  // namespace

TEST_CASE("NB with an LFA assigned: 55036 and 55010 in parallel, window until 09:00, watchdog at 11:00", "[gpke][nb]") {
  Harness<NbLieferbeginn> h;
  auto out = h.run(anmeldung(with_lfa()));
  CHECK(types_of(out.events) ==
        std::vector<std::string>{"AnmeldungReceived", "MessageSent", "MessageSent", "BeendigungAngefragt"});
  CHECK(sent_pids(out) == std::vector<std::string>{"55036", "55010"});
  const auto& info = message(out, "55036");
  CHECK(info.recipient == kLfn);
  CHECK(info.step == "Send55036");
  CHECK(info.message_type == "UTILMD");
  CHECK(info.payload.at("referenced_transaction") == "ANM0001");
  CHECK(info.payload.at("existing_supplier") == kLfa);
  CHECK(info.payload.at("due") == "2025-03-04T06:00:00Z");
  const auto& ask = message(out, "55010");
  CHECK(ask.recipient == kLfa);
  CHECK(ask.payload.at("sender") == kNb);
  CHECK_FALSE(ask.payload.contains("referenced_transaction"));
  CHECK(ask.payload.at("due") == "2025-03-04T06:00:00Z");

  REQUIRE(out.deadlines.size() == 2);
  CHECK(out.deadlines[0].name == kLfaAnswerWindow);
  CHECK(iso(std::chrono::floor<std::chrono::seconds>(out.deadlines[0].due)) == "2025-03-04T08:00:00Z");
  CHECK(out.deadlines[0].command ==
        Json::parse(R"({"type":"DeadlineReached","data":{"name":"lfa-answer-window","at":"2025-03-04T08:00:00Z"}})"));
  CHECK(out.deadlines[1].name == kAnswer55002Watchdog);
  CHECK(iso(std::chrono::floor<std::chrono::seconds>(out.deadlines[1].due)) == "2025-03-04T10:00:00Z");

  // Routing keys: the MaLo, the Anmeldung (duplicates), every Vorgangsnummer the NB sent.
  std::vector<std::string> keys;
  for (const auto& r : out.registrations) keys.push_back(r.kind + ":" + r.key);
  const std::vector<std::string> expected_keys{"malo:" + kMalo, "anmeldung:" + kLfn + "/ANM0001",
                                               "vorgang:" + info.payload.at("transaction_reference").get<std::string>(),
                                               "vorgang:" + *h.state.beendigung_reference};
  CHECK(keys == expected_keys);
  CHECK(h.state.status == NbLieferbeginnStatus::WaitingForLfa);
  CHECK(h.state.steps.find_sent("55036")->met);
  // A second Anmeldung into the same process is refused.
  CHECK_THROWS_MATCHES(h.workflow.handle(h.state, anmeldung(with_lfa())), mako::WorkflowError,
                       Catch::Predicate<mako::WorkflowError>([](const auto& e) { return e.is_invalid_state(); }));
}

TEST_CASE("NB: silence is consent -- the 09:00 deadline fires, the NB confirms (55002) and ends the LFA (55037)",
          "[gpke][nb]") {
  Harness<NbLieferbeginn> h;
  h.run(anmeldung(with_lfa()));
  auto out = h.run(DeadlineReached{kLfaAnswerWindow, utc("2025-03-04T08:00:00Z")});
  CHECK(types_of(out.events) ==
        std::vector<std::string>{"LfaAnswerWindowClosed", "AnmeldungConfirmed", "MessageSent", "MessageSent"});
  CHECK(find_event<decltype(out), LfaAnswerWindowClosed>(out)->outcome == "silence_consent");
  CHECK(sent_pids(out) == std::vector<std::string>{"55002", "55037"});
  const auto& confirm = message(out, "55002");
  CHECK(confirm.recipient == kLfn);
  CHECK(confirm.payload.at("referenced_transaction") == "ANM0001");
  CHECK(confirm.payload.at("answer_code") == "A51");
  CHECK(confirm.payload.at("sent_at") == "2025-03-04T08:00:00Z");
  const auto& end = message(out, "55037");
  CHECK(end.recipient == kLfa);
  CHECK(end.payload.at("referenced_transaction") == *h.state.beendigung_reference);
  CHECK(end.payload.at("due") == "2025-03-04T11:00:00Z");
  CHECK(h.state.status == NbLieferbeginnStatus::Confirmed);
  CHECK(h.state.basis == "silence_consent");
  CHECK(h.state.steps.find_sent("55002")->met);
  CHECK(h.state.steps.find_sent("55037")->met);

  // The 11:00 watchdog finds the LFN answered: no event.
  CHECK(h.run(DeadlineReached{kAnswer55002Watchdog, utc("2025-03-04T10:00:00Z")}).events.empty());
  // A late LFA answer after the decision is recorded and changes nothing.
  auto late = h.run(lfa_answer(h.state, "55012", utc("2025-03-04T08:30:00Z"), "A02"));
  CHECK(types_of(late.events) == std::vector<std::string>{"LateLfaAnswerIgnored"});
  CHECK(late.messages.empty());
  CHECK(h.state.status == NbLieferbeginnStatus::Confirmed);
  CHECK(h.state.late_lfa_answers == 1);
}

TEST_CASE("NB: a late LFA answer (after 09:00) is ignored even before the window deadline is processed", "[gpke][nb]") {
  Harness<NbLieferbeginn> h;
  h.run(anmeldung(with_lfa()));
  auto late = h.run(lfa_answer(h.state, "55012", berlin(2025, 3, 4, 9, 1), "A02"));
  CHECK(types_of(late.events) == std::vector<std::string>{"LateLfaAnswerIgnored"});
  CHECK(h.state.status == NbLieferbeginnStatus::WaitingForLfa);
  auto closed = h.run(DeadlineReached{kLfaAnswerWindow, utc("2025-03-04T08:00:05Z")});
  CHECK(sent_pids(closed) == std::vector<std::string>{"55002", "55037"});
  CHECK(h.state.status == NbLieferbeginnStatus::Confirmed);
}

TEST_CASE("NB: 55011 in time confirms at once, the window deadline then records nothing", "[gpke][nb]") {
  Harness<NbLieferbeginn> h;
  h.run(anmeldung(with_lfa()));
  auto out = h.run(lfa_answer(h.state, "55011", berlin(2025, 3, 4, 7, 45), "A01"));
  CHECK(types_of(out.events) ==
        std::vector<std::string>{"LfaAnswerReceived", "AnmeldungConfirmed", "MessageSent", "MessageSent"});
  CHECK(h.state.basis == "lfa_consent");
  CHECK(message(out, "55002").payload.at("sent_at") == "2025-03-04T06:45:00Z");
  CHECK(h.run(DeadlineReached{kLfaAnswerWindow, utc("2025-03-04T08:00:00Z")}).events.empty());
  // A second answer from the LFA is refused.
  CHECK_THROWS_AS(h.workflow.handle(h.state, lfa_answer(h.state, "55011", berlin(2025, 3, 4, 10))),
                  mako::WorkflowError);
}

TEST_CASE("NB: LFA rejects the Beendigung in time (55012) -> 55003 to the LFN, no 55037", "[gpke][nb]") {
  Harness<NbLieferbeginn> h;
  h.run(anmeldung(with_lfa()));
  auto out = h.run(lfa_answer(h.state, "55012", berlin(2025, 3, 4, 8, 30), "A02"));
  CHECK(types_of(out.events) == std::vector<std::string>{"LfaAnswerReceived", "AnmeldungRejected", "MessageSent"});
  CHECK(sent_pids(out) == std::vector<std::string>{"55003"});
  const auto& reject = message(out, "55003");
  CHECK(reject.recipient == kLfn);
  CHECK(reject.payload.at("reason") == "lfa_rejected");
  CHECK(reject.payload.at("answer_code") == "A50");
  CHECK(h.state.status == NbLieferbeginnStatus::Rejected);
  CHECK(h.state.rejection_reason == "lfa_rejected");
  CHECK(h.state.steps.find_sent("55003")->met);
}

TEST_CASE("NB: with a list of accepted LFA rejection reasons, any other 55012 counts as consent", "[gpke][nb]") {
  Harness<NbLieferbeginn> h;
  h.workflow.policy.accepted_lfa_rejection_codes = {"Z99"};
  h.run(anmeldung(with_lfa()));
  auto out = h.run(lfa_answer(h.state, "55012", berlin(2025, 3, 4, 8), "A02"));
  CHECK(types_of(out.events) == std::vector<std::string>{"LfaAnswerReceived", "LfaRejectionDisregarded",
                                                         "AnmeldungConfirmed", "MessageSent", "MessageSent"});
  CHECK(h.state.basis == "lfa_rejection_disregarded");

  Harness<NbLieferbeginn> h2;
  h2.workflow.policy.accepted_lfa_rejection_codes = {"Z99"};
  h2.run(anmeldung(with_lfa()));
  CHECK(sent_pids(h2.run(lfa_answer(h2.state, "55012", berlin(2025, 3, 4, 8), "Z99"))) ==
        std::vector<std::string>{"55003"});
}

TEST_CASE("NB: an answer that does not quote the 55010, or comes from someone else, is invalid", "[gpke][nb]") {
  Harness<NbLieferbeginn> h;
  h.run(anmeldung(with_lfa()));
  auto wrong_ref = lfa_answer(h.state, "55011", berlin(2025, 3, 4, 8));
  wrong_ref.answer.referenced_transaction = "SOMETHING-ELSE";
  CHECK_THROWS_AS(h.workflow.handle(h.state, wrong_ref), mako::WorkflowError);
  auto wrong_sender = lfa_answer(h.state, "55011", berlin(2025, 3, 4, 8));
  wrong_sender.answer.sender = kLfn;
  CHECK_THROWS_AS(h.workflow.handle(h.state, wrong_sender), mako::WorkflowError);
  auto wrong_pid = lfa_answer(h.state, "55002", berlin(2025, 3, 4, 8));
  CHECK_THROWS_AS(h.workflow.handle(h.state, wrong_pid), mako::WorkflowError);
}

TEST_CASE("NB: lead time missed -> 55003 at once, first of the checks", "[gpke][nb]") {
  Harness<NbLieferbeginn> h;
  // Received Tuesday 03-04 for a start on Wednesday 03-05; also pending and LFA: lead time wins.
  NbStammdaten everything{kLfa, make_date(2025, 3, 10), PreconditionFailure{"MaLo unbekannt", "A02"}};
  auto out = h.run(anmeldung(everything, berlin(2025, 3, 4, 0, 30)));
  CHECK(types_of(out.events) == std::vector<std::string>{"AnmeldungReceived", "AnmeldungRejected", "MessageSent"});
  CHECK(sent_pids(out) == std::vector<std::string>{"55003"});
  const auto& p = message(out, "55003").payload;
  CHECK(p.at("reason") == "lead_time_missed");
  CHECK(p.at("answer_code") == "A07");
  CHECK(p.at("sent_at") == "2025-03-03T23:30:00Z");
  CHECK(p.at("due") == "2025-03-05T10:00:00Z");  // 11:00 of the 1st WT after the ÜT Tuesday
  CHECK(out.deadlines.empty());
  CHECK(h.state.status == NbLieferbeginnStatus::Rejected);
  CHECK(find_event<decltype(out), AnmeldungReceived>(out)->latest_uebertragungstag == make_date(2025, 3, 3));
}

TEST_CASE("NB: another Anmeldung pending -> 55003 stating the pending start date", "[gpke][nb]") {
  Harness<NbLieferbeginn> h;
  NbStammdaten pending{kLfa, make_date(2025, 3, 10), PreconditionFailure{"MaLo unbekannt", "A02"}};
  auto out = h.run(anmeldung(pending));
  CHECK(sent_pids(out) == std::vector<std::string>{"55003"});
  const auto& p = message(out, "55003").payload;
  CHECK(p.at("reason") == "anmeldung_pending");
  CHECK(p.at("pending_start") == "2025-03-10");
  CHECK(find_event<decltype(out), AnmeldungRejected>(out)->pending_start == make_date(2025, 3, 10));
  CHECK(h.state.pending_start == make_date(2025, 3, 10));
}

TEST_CASE("NB: other precondition failed -> 55003 with its answer code", "[gpke][nb]") {
  Harness<NbLieferbeginn> h;
  auto out = h.run(anmeldung(NbStammdaten{kLfa, std::nullopt, PreconditionFailure{"MaLo unbekannt", "A02"}}));
  const auto& p = message(out, "55003").payload;
  CHECK(p.at("reason") == "precondition_failed");
  CHECK(p.at("answer_code") == "A02");
  CHECK(find_event<decltype(out), AnmeldungRejected>(out)->text == "MaLo unbekannt");
}

TEST_CASE("NB: no LFA assigned -> direct assignment with 55002", "[gpke][nb]") {
  Harness<NbLieferbeginn> h;
  auto out = h.run(anmeldung());
  CHECK(types_of(out.events) == std::vector<std::string>{"AnmeldungReceived", "AnmeldungConfirmed", "MessageSent"});
  CHECK(sent_pids(out) == std::vector<std::string>{"55002"});
  CHECK(out.deadlines.empty());
  CHECK(h.state.basis == "no_lfa");
  CHECK(h.state.status == NbLieferbeginnStatus::Confirmed);
}

TEST_CASE("NB: E01 move-in vs E03 switch with an LFA assigned", "[gpke][nb]") {
  Harness<NbLieferbeginn> e03;
  CHECK(sent_pids(e03.run(anmeldung(with_lfa(), kUet, "E03"))) == std::vector<std::string>{"55036", "55010"});

  Harness<NbLieferbeginn> e01;  // the LFA is not asked; its assignment is ended
  auto out = e01.run(anmeldung(with_lfa(), kUet, "E01"));
  CHECK(sent_pids(out) == std::vector<std::string>{"55002", "55037"});
  CHECK(e01.state.basis == "move_in");
  CHECK(message(out, "55002").payload.at("transaction_reason") == "E01");

  Harness<NbLieferbeginn> asked;
  asked.workflow.policy.ask_lfa_on_move_in = true;
  CHECK(sent_pids(asked.run(anmeldung(with_lfa(), kUet, "E01"))) == std::vector<std::string>{"55036", "55010"});

  Harness<NbLieferbeginn> bad;
  CHECK_THROWS_AS(bad.workflow.handle(bad.state, anmeldung({}, kUet, "E02")), mako::WorkflowError);
}

TEST_CASE("NB: decisions after the deadlines are recorded as missed", "[gpke][nb]") {
  Harness<NbLieferbeginn> h;
  // Processed only on Tuesday 08:00: 55036/55010 (due 07:00) are sent late.
  auto out = h.run(ReceiveAnmeldung{anmeldung_55001(kStart), kUet, berlin(2025, 3, 4, 8), with_lfa()});
  CHECK_FALSE(h.state.steps.find_sent("55036")->met);
  CHECK_FALSE(h.state.steps.find_sent("55010")->met);
  // The scheduler was down: the 11:00 watchdog is delivered before the window deadline.
  auto missed = h.run(DeadlineReached{kAnswer55002Watchdog, utc("2025-03-04T10:00:30Z")});
  CHECK(types_of(missed.events) == std::vector<std::string>{"AnswerDeadlineMissed"});
  CHECK(h.state.steps.deadline_missed(kAnswer55002Watchdog));
  h.run(DeadlineReached{kLfaAnswerWindow, utc("2025-03-04T10:15:00Z")});
  const auto* confirm = h.state.steps.find_sent("55002");
  REQUIRE(confirm);
  CHECK_FALSE(confirm->met);
  CHECK(iso(*confirm->due) == "2025-03-04T10:00:00Z");
  CHECK(iso(confirm->sent_at) == "2025-03-04T10:15:00Z");
  CHECK(h.state.steps.find_sent("55037")->met);  // 12:00 still kept
}

TEST_CASE("NB: invalid inputs name the field", "[gpke][nb]") {
  Harness<NbLieferbeginn> h;
  auto bad_malo = anmeldung();
  bad_malo.anmeldung.malo = "41373559242";
  CHECK_THROWS_WITH(h.workflow.handle(h.state, bad_malo), Catch::Contains("malo"));
  auto no_start = anmeldung();
  no_start.anmeldung.start.reset();
  CHECK_THROWS_WITH(h.workflow.handle(h.state, no_start), Catch::Contains("start"));
  auto bad_lfa = anmeldung(NbStammdaten{"9910960000002", std::nullopt, std::nullopt});
  CHECK_THROWS_WITH(h.workflow.handle(h.state, bad_lfa), Catch::Contains("assigned_lfa"));
  CHECK_THROWS_AS(h.workflow.handle(h.state, DeadlineReached{"nonsense", kUet}), mako::WorkflowError);
  CHECK_THROWS_AS(h.workflow.handle(h.state, lfa_answer(h.state, "55011", kUet)), mako::WorkflowError);
}

TEST_CASE("NB status: the workflow's, whatever event came last", "[gpke][nb][status]") {
  Harness<NbLieferbeginn> h;
  CHECK(h.workflow.status(h.state) == "new");
  h.run(anmeldung(with_lfa()));
  CHECK(h.workflow.status(h.state) == "awaiting LFA answer");
  h.run(DeadlineReached{kLfaAnswerWindow, utc("2025-03-04T08:00:00Z")});
  CHECK(h.workflow.status(h.state) == "confirmed");
  // A late LFA answer after the confirmation is the last event; the process is still confirmed.
  auto late = h.run(lfa_answer(h.state, "55012", berlin(2025, 3, 4, 9, 30), "A02"));
  CHECK(types_of(late.events) == std::vector<std::string>{"LateLfaAnswerIgnored"});
  CHECK(h.workflow.status(h.state) == "confirmed");

  Harness<NbLieferbeginn> rejected;
  auto out = rejected.run(anmeldung({}, berlin(2025, 3, 4, 10)));  // lead time missed
  CHECK(types_of(out.events).back() == "MessageSent");
  CHECK(rejected.workflow.status(rejected.state) == "rejected");
}
