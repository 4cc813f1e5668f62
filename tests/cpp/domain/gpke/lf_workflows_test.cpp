// LF side of the supplier switch (LFN and LFA), Abmeldung in both directions and Kündigung
// (docs/mako-domain.md, "The GPKE table" and "Related use cases").
#include <catch2/catch.hpp>

#include "gpke_test_support.hpp"
#include "mako/core/errors.hpp"
#include "mako/domain/gpke/register_workflows.hpp"

using namespace gpke_test;
using namespace mako::gpke;

namespace {

const auto kStart = make_date(2025, 3, 5);       // Wednesday
const Instant kMonday = berlin(2025, 3, 3, 14);  // ÜT, CET

UtilmdVorgang reply(const UtilmdVorgang& request, const std::string& pid,
                    std::optional<std::string> code = std::nullopt, std::string ref = "REPLY1") {
  UtilmdVorgang v = request;
  v.pid = pid;
  v.transaction_reference = std::move(ref);
  v.referenced_transaction = request.transaction_reference;
  v.sender = request.receiver;
  v.receiver = request.sender;
  v.answer_code = std::move(code);
  return v;
}

UtilmdVorgang request(const std::string& pid, const std::string& from, const std::string& to,
                      std::string reason = "E03", std::string ref = "REQ1") {
  return utilmd_request(pid, from, to, kStart, std::move(reason), std::move(ref));
}

template <class W>
Harness<W> harness(W w) {
  Harness<W> h;
  h.workflow = std::move(w);
  return h;
}

}  // namespace

TEST_CASE("LFN: StartSwitch sends 55001 and waits, 55036 then 55002 confirm", "[gpke][lfn]") {
  Harness<LfnLieferbeginn> h;
  auto out = h.run(with_customer(StartSwitch{kMalo, kStart, "E03", kNb, kLfn, kMonday, std::string("ANM0001"), false}));
  CHECK(types_of(out.events) == std::vector<std::string>{"AnmeldungSent", "MessageSent"});
  const auto& m = message(out, "55001");
  CHECK(m.recipient == kNb);
  CHECK(m.payload.at("start") == "2025-03-05");
  CHECK(m.payload.at("due") == "2025-03-03T23:00:00Z");  // end of the latest ÜT Monday
  REQUIRE(out.deadlines.size() == 1);
  CHECK(out.deadlines[0].name == kNbAnswerWatchdog);
  CHECK(iso(std::chrono::floor<std::chrono::seconds>(out.deadlines[0].due)) == "2025-03-04T10:00:00Z");
  CHECK(h.state.status == LfnLieferbeginnStatus::Pending);
  CHECK(h.state.steps.find_sent("55001")->met);

  const auto& anm = *h.state.anmeldung;
  auto info = h.run(ReceiveNbMessage{reply(anm, "55036"), berlin(2025, 3, 4, 6, 50), kLfa});
  CHECK(types_of(info.events) == std::vector<std::string>{"ExistingAssignmentInformed"});
  CHECK(h.state.existing_assignment);
  CHECK(h.state.existing_supplier == kLfa);
  auto ok = h.run(ReceiveNbMessage{reply(anm, "55002", "A01", "R2"), berlin(2025, 3, 4, 10, 30), std::nullopt});
  CHECK(find_event<decltype(ok), NbConfirmed>(ok)->in_time);
  CHECK(h.state.status == LfnLieferbeginnStatus::Confirmed);
  CHECK(h.run(DeadlineReached{kNbAnswerWatchdog, utc("2025-03-04T10:00:00Z")}).events.empty());
}

TEST_CASE("LFN: 55003 rejects, a missing answer is recorded at 11:00, a late 55002 is flagged", "[gpke][lfn]") {
  Harness<LfnLieferbeginn> rejected;
  rejected.run(with_customer(StartSwitch{kMalo, kStart, "E03", kNb, kLfn, kMonday, std::nullopt, false}));
  rejected.run(ReceiveNbMessage{reply(*rejected.state.anmeldung, "55003", "A02"), berlin(2025, 3, 4, 9), std::nullopt});
  CHECK(rejected.state.status == LfnLieferbeginnStatus::Rejected);
  CHECK(rejected.state.answer_code == "A02");
  CHECK(rejected.state.anmeldung->transaction_reference.rfind("GP", 0) == 0);  // derived Vorgangsnummer

  Harness<LfnLieferbeginn> silent;
  silent.run(with_customer(StartSwitch{kMalo, kStart, "E03", kNb, kLfn, kMonday, std::nullopt, false}));
  auto missed = silent.run(DeadlineReached{kNbAnswerWatchdog, utc("2025-03-04T10:00:00Z")});
  CHECK(types_of(missed.events) == std::vector<std::string>{"AnswerDeadlineMissed"});
  auto late =
      silent.run(ReceiveNbMessage{reply(*silent.state.anmeldung, "55002"), berlin(2025, 3, 4, 13), std::nullopt});
  CHECK_FALSE(find_event<decltype(late), NbConfirmed>(late)->in_time);
  // Wrong RFF+TN is refused.
  auto other = reply(*silent.state.anmeldung, "55003");
  other.referenced_transaction = "XYZ";
  CHECK_THROWS_AS(silent.workflow.handle(silent.state, ReceiveNbMessage{other, kMonday, std::nullopt}),
                  mako::WorkflowError);
}

TEST_CASE("LFN: the lead time is checked locally before sending", "[gpke][lfn]") {
  Harness<LfnLieferbeginn> h;
  const auto late =
      with_customer(StartSwitch{kMalo, kStart, "E03", kNb, kLfn, berlin(2025, 3, 4, 0, 5), std::nullopt, false});
  CHECK_THROWS_MATCHES(h.workflow.handle(h.state, late), mako::WorkflowError,
                       Catch::Predicate<mako::WorkflowError>([](const auto& e) {
                         return e.is_rejected() && e.message().find("2025-03-03") != std::string::npos;
                       }));
  auto forced = late;
  forced.send_late = true;
  h.run(forced);
  CHECK(h.state.lead_time_missed);
  CHECK_FALSE(h.state.steps.find_sent("55001")->met);
  Harness<LfnLieferbeginn> bad;
  CHECK_THROWS_WITH(bad.workflow.handle(bad.state, StartSwitch{"123", kStart, "E03", kNb, kLfn, kMonday, {}, false}),
                    Catch::Contains("malo"));
}

TEST_CASE("LFA: receives 55010, answers 55011 before 09:00, then 55037 ends the supply", "[gpke][lfa]") {
  auto h = harness(lieferende_lfa());
  const auto ask = request("55010", kNb, kLfa, "E03", "GPASK");
  auto rx = h.run(ReceiveRequest{ask, berlin(2025, 3, 3, 15), std::nullopt});
  REQUIRE(rx.deadlines.size() == 1);
  CHECK(rx.deadlines[0].name == "answer-55011");
  CHECK(iso(std::chrono::floor<std::chrono::seconds>(rx.deadlines[0].due)) == "2025-03-04T08:00:00Z");
  const std::vector<std::string> keys{rx.registrations[0].kind + ":" + rx.registrations[0].key,
                                      rx.registrations[1].kind + ":" + rx.registrations[1].key};
  CHECK(keys == std::vector<std::string>{"malo:" + kMalo, "vorgang:GPASK"});

  auto ans = h.run(Answer{true, std::nullopt, berlin(2025, 3, 4, 8, 15)});
  CHECK(sent_pids(ans) == std::vector<std::string>{"55011"});
  const auto& p = message(ans, "55011").payload;
  CHECK(p.at("referenced_transaction") == "GPASK");
  CHECK(p.at("receiver") == kNb);
  CHECK(p.at("answer_code") == "A36");
  CHECK(h.state.status == BeantwortungStatus::Accepted);
  CHECK(h.state.steps.find_sent("55011")->met);

  auto end = reply(ask, "55037", std::nullopt, "GPEND");
  end.sender = kNb;
  end.receiver = kLfa;
  h.run(ReceiveFollowUp{end, berlin(2025, 3, 4, 11, 30)});
  CHECK(h.state.followups == std::vector<std::string>{"55037"});
  auto wrong = end;
  wrong.pid = "55002";
  CHECK_THROWS_AS(h.workflow.handle(h.state, ReceiveFollowUp{wrong, kMonday}), mako::WorkflowError);
}

TEST_CASE("LFA: the 09:00 deadline counts from the ÜT of the 55001 the 55010 carries (DTM+154)", "[gpke][lfa]") {
  // The NB received the 55001 on Monday and forwards the 55010 only on Tuesday at 06:30: the LFA
  // must still answer by Tuesday 09:00 (1st WT after Monday), not by Wednesday.
  auto h = harness(lieferende_lfa());
  auto ask = request("55010", kNb, kLfa, "E03", "GPLATE");
  ask.request_received_on = make_date(2025, 3, 3);
  auto rx = h.run(ReceiveRequest{ask, berlin(2025, 3, 4, 6, 30), std::nullopt});
  REQUIRE(rx.deadlines.size() == 1);
  CHECK(iso(std::chrono::floor<std::chrono::seconds>(rx.deadlines[0].due)) == "2025-03-04T08:00:00Z");
  // Without DTM+154 the LFA can only count from its own receipt: a working day later.
  auto blind = harness(lieferende_lfa());
  auto old = request("55010", kNb, kLfa, "E03", "GPBLIND");
  auto rx2 = blind.run(ReceiveRequest{old, berlin(2025, 3, 4, 6, 30), std::nullopt});
  CHECK(iso(std::chrono::floor<std::chrono::seconds>(rx2.deadlines[0].due)) == "2025-03-05T08:00:00Z");
}

TEST_CASE("LFA: rejects with a reason (55012), a reply after 09:00 is sent but recorded as missed", "[gpke][lfa]") {
  auto h = harness(lieferende_lfa());
  h.run(ReceiveRequest{request("55010", kNb, kLfa), berlin(2025, 3, 4, 6, 30), kMonday});  // 55001's ÜT given
  CHECK(iso(*h.state.answer_due) == "2025-03-04T08:00:00Z");
  auto missed = h.run(DeadlineReached{"answer-55011", utc("2025-03-04T08:00:00Z")});
  CHECK(types_of(missed.events) == std::vector<std::string>{"AnswerDeadlineMissed"});
  auto ans = h.run(Answer{false, std::string("A35"), berlin(2025, 3, 4, 9, 30)});
  CHECK(sent_pids(ans) == std::vector<std::string>{"55012"});
  CHECK(message(ans, "55012").payload.at("answer_code") == "A35");
  CHECK_FALSE(find_event<decltype(ans), Answered>(ans)->in_time);
  CHECK(h.state.status == BeantwortungStatus::Refused);
  CHECK_THROWS_AS(h.workflow.handle(h.state, Answer{true, {}, berlin(2025, 3, 4, 10)}), mako::WorkflowError);
}

TEST_CASE("Abmeldung LF->NB: 55004, NB answers 55005/55006 by 06:00 of the 1st WT (both sides)", "[gpke][abmeldung]") {
  auto lf = harness(abmeldung_lf());
  auto sent = lf.run(SendRequest{kMalo, make_date(2025, 3, 31), "E03", kLfa, kNb, kMonday, std::nullopt});
  CHECK(sent_pids(sent) == std::vector<std::string>{"55004"});
  CHECK(iso(*lf.state.answer_due) == "2025-03-04T05:00:00Z");
  CHECK(sent.deadlines[0].name == "answer-55005");

  auto nb = harness(abmeldung_nb());
  const auto abm = UtilmdVorgang(message(sent, "55004").payload.get<UtilmdVorgang>());
  nb.run(ReceiveRequest{abm, kMonday, std::nullopt});
  CHECK(iso(*nb.state.answer_due) == "2025-03-04T05:00:00Z");
  auto ans = nb.run(Answer{true, std::nullopt, berlin(2025, 3, 4, 5, 30)});
  const auto confirm = message(ans, "55005").payload.get<UtilmdVorgang>();
  CHECK(confirm.referenced_transaction == abm.transaction_reference);
  CHECK(nb.state.steps.find_sent("55005")->met);

  auto got = lf.run(ReceiveAnswer{confirm, berlin(2025, 3, 4, 5, 31)});
  CHECK(find_event<decltype(got), AnswerReceived>(got)->accepted);
  CHECK(lf.state.status == AnfrageStatus::Confirmed);

  // Rejection path, and a silence that is only a breach (no consent): the LF keeps waiting.
  auto lf2 = harness(abmeldung_lf());
  lf2.run(SendRequest{kMalo, make_date(2025, 3, 31), "E03", kLfa, kNb, kMonday, std::string("ABM2")});
  auto silence = lf2.run(DeadlineReached{"answer-55005", utc("2025-03-04T05:00:00Z")});
  CHECK(types_of(silence.events) == std::vector<std::string>{"AnswerDeadlineMissed"});
  CHECK(lf2.state.status == AnfrageStatus::Waiting);
  auto no = lf2.run(ReceiveAnswer{reply(*lf2.state.request, "55006", "A02"), berlin(2025, 3, 4, 9)});
  CHECK_FALSE(find_event<decltype(no), AnswerReceived>(no)->in_time);
  CHECK(lf2.state.status == AnfrageStatus::Rejected);
}

TEST_CASE("Abmeldung NB->LF: 55007, LF answers 55008/55009 by 05:00, silence: the NB ends the assignment",
          "[gpke][abmeldung]") {
  auto nb = harness(abmeldung_durch_nb_nb());
  auto sent = nb.run(SendRequest{kMalo, make_date(2025, 3, 31), "E03", kNb, kLfa, kMonday, std::nullopt});
  CHECK(sent_pids(sent) == std::vector<std::string>{"55007"});
  CHECK(iso(*nb.state.answer_due) == "2025-03-04T04:00:00Z");
  auto silence = nb.run(DeadlineReached{"answer-55008", utc("2025-03-04T04:00:00Z")});
  CHECK(types_of(silence.events) == std::vector<std::string>{"SilenceCountedAsConsent"});
  CHECK(nb.state.status == AnfrageStatus::Confirmed);
  CHECK(nb.state.basis == "silence");
  // The LF's late 55009 is ignored.
  auto late = nb.run(ReceiveAnswer{reply(*nb.state.request, "55009", "A02"), berlin(2025, 3, 4, 7)});
  CHECK(types_of(late.events) == std::vector<std::string>{"LateAnswerIgnored"});
  CHECK(nb.state.status == AnfrageStatus::Confirmed);

  // The LF side answers in time.
  auto lf = harness(abmeldung_durch_nb_lf());
  lf.run(ReceiveRequest{message(sent, "55007").payload.get<UtilmdVorgang>(), kMonday, std::nullopt});
  auto ans = lf.run(Answer{false, std::nullopt, berlin(2025, 3, 4, 4, 59)});
  CHECK(sent_pids(ans) == std::vector<std::string>{"55009"});
  CHECK(message(ans, "55009").payload.at("answer_code") == "A99");
  auto nb2 = harness(abmeldung_durch_nb_nb());
  nb2.run(SendRequest{kMalo, make_date(2025, 3, 31), "E03", kNb, kLfa, kMonday, std::nullopt});
  nb2.run(ReceiveAnswer{message(ans, "55009").payload.get<UtilmdVorgang>(), berlin(2025, 3, 4, 4, 59)});
  CHECK(nb2.state.status == AnfrageStatus::Rejected);
  CHECK(nb2.run(DeadlineReached{"answer-55008", utc("2025-03-04T04:00:00Z")}).events.empty());
}

TEST_CASE("Kündigung LFN->LFA: 55016, answered 55017/55018 by the end of the 1st WT", "[gpke][kuendigung]") {
  auto lfn = harness(kuendigung_lfn());
  auto sent = lfn.run(SendRequest{kMalo, make_date(2025, 3, 31), "E03", kLfn, kLfa, kMonday, std::nullopt});
  CHECK(sent_pids(sent) == std::vector<std::string>{"55016"});
  CHECK(iso(*lfn.state.answer_due) == "2025-03-04T23:00:00Z");

  auto lfa = harness(kuendigung_lfa());
  lfa.run(ReceiveRequest{message(sent, "55016").payload.get<UtilmdVorgang>(), kMonday, std::nullopt});
  // The 55017 must state the Vorjahresverbrauch (AHB 55017, QTY+Z09): without it the answer is refused.
  CHECK_THROWS_AS(lfa.workflow.handle(lfa.state, Answer{true, std::nullopt, berlin(2025, 3, 4, 23, 59)}),
                  mako::WorkflowError);
  auto ans = lfa.run(Answer{true, std::nullopt, berlin(2025, 3, 4, 23, 59), std::nullopt, "3500"});
  CHECK(sent_pids(ans) == std::vector<std::string>{"55017"});
  CHECK(message(ans, "55017").payload.get<UtilmdVorgang>().annual_consumption_kwh == "3500");
  CHECK(lfa.state.steps.find_sent("55017")->met);
  lfn.run(ReceiveAnswer{message(ans, "55017").payload.get<UtilmdVorgang>(), berlin(2025, 3, 5, 0, 1)});
  CHECK(lfn.state.status == AnfrageStatus::Confirmed);

  auto lfa_late = harness(kuendigung_lfa());
  lfa_late.run(ReceiveRequest{message(sent, "55016").payload.get<UtilmdVorgang>(), kMonday, std::nullopt});
  auto late = lfa_late.run(Answer{false, std::nullopt, berlin(2025, 3, 5, 0, 0) + std::chrono::seconds{1}});
  CHECK(sent_pids(late) == std::vector<std::string>{"55018"});
  CHECK_FALSE(lfa_late.state.steps.find_sent("55018")->met);  // a second into Wednesday
  // The wrong request PID is refused.
  auto wrong = harness(kuendigung_lfa());
  CHECK_THROWS_AS(wrong.workflow.handle(wrong.state, ReceiveRequest{request("55004", kLfn, kLfa), kMonday, {}}),
                  mako::WorkflowError);
}

TEST_CASE("status of the LFN, LFA and request/answer workflows: the state's, not the last event's", "[gpke][status]") {
  Harness<LfnLieferbeginn> lfn;
  CHECK(lfn.workflow.status(lfn.state) == "new");
  lfn.run(with_customer(StartSwitch{kMalo, kStart, "E03", kNb, kLfn, kMonday, std::nullopt, false}));
  CHECK(lfn.workflow.status(lfn.state) == "awaiting answer");
  lfn.run(DeadlineReached{kNbAnswerWatchdog, utc("2025-03-04T10:00:00Z")});  // last event: AnswerDeadlineMissed
  CHECK(lfn.workflow.status(lfn.state) == "awaiting answer");
  lfn.run(ReceiveNbMessage{reply(*lfn.state.anmeldung, "55003", "A02"), berlin(2025, 3, 4, 13), std::nullopt});
  CHECK(lfn.workflow.status(lfn.state) == "rejected");

  auto lfa = harness(lieferende_lfa());
  const auto ask = request("55010", kNb, kLfa, "E03", "GPASK");
  lfa.run(ReceiveRequest{ask, berlin(2025, 3, 3, 15), std::nullopt});
  CHECK(lfa.workflow.status(lfa.state) == "to answer");
  lfa.run(Answer{true, std::nullopt, berlin(2025, 3, 4, 8, 15)});  // last event: MessageSent
  CHECK(lfa.workflow.status(lfa.state) == "accepted");
  auto end = reply(ask, "55037", std::nullopt, "GPEND");
  end.sender = kNb;
  end.receiver = kLfa;
  lfa.run(ReceiveFollowUp{end, berlin(2025, 3, 4, 11, 30)});
  CHECK(lfa.workflow.status(lfa.state) == "ended");

  auto nb = harness(abmeldung_durch_nb_nb());
  nb.run(SendRequest{kMalo, make_date(2025, 3, 31), "E03", kNb, kLfa, kMonday, std::nullopt});
  CHECK(nb.workflow.status(nb.state) == "awaiting answer");
  nb.run(DeadlineReached{"answer-55008", utc("2025-03-04T04:00:00Z")});
  nb.run(ReceiveAnswer{reply(*nb.state.request, "55009", "A02"), berlin(2025, 3, 4, 7)});  // late: LateAnswerIgnored
  CHECK(nb.workflow.status(nb.state) == "confirmed");
  auto refusing = harness(abmeldung_durch_nb_lf());
  refusing.run(ReceiveRequest{*nb.state.request, kMonday, std::nullopt});
  refusing.run(Answer{false, std::nullopt, berlin(2025, 3, 4, 4, 59)});
  CHECK(refusing.workflow.status(refusing.state) == "refused");
}
