// The inbound pipeline between two engines, through real EDIFACT files: inbox dedup, dead letters
// for unknown PIDs, CONTRL 4 leaving the sender's deadlines running, silence as consent, a late
// LFA answer, and the 1st WT moved by Easter and by the DST switch.
#include "anmeldung_data.hpp"
#include "market_test_support.hpp"

#include <cstdint>
#include <cstdio>

#include "mako/domain/edifact/aperak.hpp"
#include "mako/domain/edifact/contrl.hpp"
#include "mako/domain/edifact/parser.hpp"
#include "mako/domain/edifact/writer.hpp"
#include "mako/domain/gpke/outbound_utilmd.hpp"
#include "mako/domain/identifiers/malo_id.hpp"
#include "mako/domain/market/acknowledgements.hpp"
#include "mako/domain/market/history_summary.hpp"

using namespace market_test;

namespace {

const std::string kMalo = edifact::corpus::kMaloA;

const SentFile& only_file(const Market& m, const std::string& kind) {
  const SentFile* found = nullptr;
  for (const auto& f : m.traffic)
    if (parse_market_file_name(f.name)->kind == kind) {
      REQUIRE(found == nullptr);
      found = &f;
    }
  REQUIRE(found != nullptr);
  return *found;
}

edifact::UtilmdTransaction utilmd_of(const SentFile& f) {
  const auto ic = edifact::parse(f.bytes);
  REQUIRE(ic.messages.size() == 1);
  const auto u = edifact::read_utilmd(ic.messages[0]);
  REQUIRE(u.transactions.size() == 1);
  return u.transactions[0];
}

std::size_t events_of(const EngineContext& engine) { return summarize_history(engine.event_store()).events; }

}  // namespace

TEST_CASE("a good 55001 gets CONTRL 7 and runs the NB process, the LFN is confirmed", "[market][pipeline]") {
  Market m;
  m.master_data->add_malo(kMalo);
  auto lfn = m.start_switch(kMalo, make_date(2026, 3, 25), berlin(2026, 3, 16, 10), "VG0001");

  const auto contrl = edifact::read_contrl(edifact::parse(m.traffic[1].bytes).messages.at(0));
  CHECK(contrl.accepted());
  CHECK(contrl.interchange_sender.id == kLfn);
  CHECK(m.nb_process(kMalo)->state().basis == "no_lfa");
  CHECK(lfn.state().status == gpke::LfnLieferbeginnStatus::Confirmed);
  const auto answer = utilmd_of(only_file(m, "UTILMD55002"));
  CHECK(answer.referenced_transaction == "VG0001");
  CHECK(answer.malo_id == kMalo);
  // The LFN's 55002 was received at the NB's decision instant: the engine clock, not the wall.
  CHECK(lfn.state().steps.find_sent("55001")->sent_at == berlin(2026, 3, 16, 10));
}

TEST_CASE("a duplicate file is rejected by the inbox and nothing is executed twice", "[market][pipeline][inbox]") {
  Market m;
  m.master_data->add_malo(kMalo);
  m.tamper = [](const FileNameParts& p, const std::string&) {
    return p.kind == "UTILMD55001" ? CourierAction::Duplicate : CourierAction::Deliver;
  };
  auto lfn = m.start_switch(kMalo, make_date(2026, 3, 25), berlin(2026, 3, 16, 10), "VG0002");

  const auto& stats = m.nb_party->pipeline().stats();
  CHECK(stats.duplicates == 1);
  CHECK(stats.executed == 1);
  CHECK(m.nb_wire->rejected_count() == 1);
  CHECK(summarize_history(m.nb.event_store()).processes_by_workflow.at(gpke::workflow_names::kLieferbeginnNb) == 1);
  CHECK(m.sent_of_kind("UTILMD55002") == 1);
  CHECK(lfn.state().status == gpke::LfnLieferbeginnStatus::Confirmed);

  // The same file once more, later: still a duplicate, still nothing executed.
  const auto nb_events = events_of(m.nb);
  m.nb_wire->drop_inbound(kLfn, "again.edi", only_file(m, "UTILMD55001").bytes);
  m.set_now(berlin(2026, 3, 18, 10));
  m.settle();
  CHECK(stats.duplicates == 2);
  CHECK(events_of(m.nb) == nb_events);
}

TEST_CASE("an unknown PID is dead-lettered and answered with APERAK 313 Z31, an orphan answer with Z33",
          "[market][pipeline][dead-letter]") {
  Market m;
  m.set_now(berlin(2026, 3, 16, 10));
  gpke::OutboundUtilmd p;
  p.vorgang = gpke::UtilmdVorgang{"55016", "KUE0001",    std::nullopt, kMalo, make_date(2026, 4, 1),
                                  "E03",   std::nullopt, kLfn,         kNb};
  p.sent_at = berlin(2026, 3, 16, 10);
  m.nb_wire->drop_inbound(kLfn, "kuendigung.edi",
                          edifact::write(gpke::render_utilmd_interchange(Json(p), "KUEREF", "1")));
  // And an answer that quotes a Vorgang the NB never sent.
  p.vorgang = gpke::UtilmdVorgang{
      "55011", "ANS0001", std::string("NOSUCHVG"), kMalo, make_date(2026, 4, 1), "E03", std::string("A36"), kLfa, kNb};
  m.nb_wire->drop_inbound(kLfa, "orphan.edi", edifact::write(gpke::render_utilmd_interchange(Json(p), "ORPHAN", "1")));
  m.settle();

  const auto letters = m.nb.dead_letters()->list();
  REQUIRE(letters.size() == 2);
  CHECK(letters[0].route_key == "55016");
  CHECK_FALSE(letters[0].reason.empty());
  CHECK(letters[1].route_key == "55011");
  CHECK(events_of(m.nb) == 0);
  CHECK(m.sent_of_kind("APERAK") == 2);
  std::vector<edifact::AperakMessage> aperaks;
  for (const auto& f : m.traffic)
    if (parse_market_file_name(f.name)->kind == "APERAK")
      aperaks.push_back(edifact::read_aperak(edifact::parse(f.bytes).messages.at(0)));
  REQUIRE(aperaks.size() == 2);
  const auto& aperak = aperaks[0];
  CHECK_FALSE(aperak.positive);
  CHECK(aperak.association == "2.1i");  // 2026-03-16: FV2604
  REQUIRE(aperak.errors.size() == 1);
  CHECK(aperak.errors[0].code == edifact::kAperakRejectedByReceiver);  // Z31: we do not process 55016
  CHECK(aperak.errors[0].faulty_value == "55016");
  CHECK(aperak.transaction_ref == "KUE0001");
  CHECK(aperak.referenced_message == "1");
  const auto& orphan = aperaks[1];
  REQUIRE(orphan.errors.size() == 1);
  CHECK(orphan.errors[0].code == edifact::kAperakReferencedUnknown);  // Z33: no Vorgang NOSUCHVG here
  CHECK(orphan.errors[0].faulty_value == "NOSUCHVG");
  CHECK(orphan.transaction_ref == "ANS0001");
  CHECK(m.lf_party->pipeline().stats().aperak_received == 2);
  // The files themselves were good: CONTRL 7 for both.
  CHECK(m.nb_party->pipeline().stats().contrl_rejections_sent == 0);
}

TEST_CASE("APERAK 312 per transaction the process accepted, none for the refused", "[market][pipeline][aperak]") {
  Market m(true);
  m.set_now(berlin(2026, 11, 2, 10));  // FV2610: APERAK 2.2
  gpke::OutboundUtilmd p;
  p.vorgang = gpke::UtilmdVorgang{"55016", "KUE0002",    std::nullopt, kMalo, make_date(2026, 12, 1),
                                  "E03",   std::nullopt, kLfn,         kNb};
  p.sent_at = berlin(2026, 11, 2, 9);
  m.nb_wire->drop_inbound(kLfn, "kuendigung.edi",
                          edifact::write(gpke::render_utilmd_interchange(Json(p), "KUEREF2", "1")));
  m.settle();
  REQUIRE(m.sent_of_kind("APERAK") == 1);  // only the 313 for the PID the NB does not process
  CHECK_FALSE(edifact::read_aperak(edifact::parse(only_file(m, "APERAK").bytes).messages.at(0)).positive);

  Market ok(true);
  ok.master_data->add_malo(kMalo);
  (void)ok.start_switch(kMalo, make_date(2026, 12, 1), berlin(2026, 11, 2, 10), "VG0312");
  const auto a = edifact::read_aperak(edifact::parse(only_file(ok, "APERAK").bytes).messages.at(0));
  CHECK(a.positive);
  CHECK(a.association == "2.2");
  CHECK(a.transaction_ref == "VG0312");
  CHECK(a.errors.empty());
  CHECK(a.referenced_date == std::chrono::floor<std::chrono::seconds>(berlin(2026, 11, 2, 10)));
}

TEST_CASE("a file rejected with CONTRL 4 counts as never received, the LFN's 11:00 deadline still fires",
          "[market][pipeline][contrl]") {
  Market m;
  m.master_data->add_malo(kMalo);
  m.tamper = [](const FileNameParts& p, const std::string&) {
    return p.kind == "UTILMD55001" ? CourierAction::Corrupt : CourierAction::Deliver;
  };
  auto lfn = m.start_switch(kMalo, make_date(2026, 3, 25), berlin(2026, 3, 16, 10), "VG0003");
  m.tamper = nullptr;

  const auto& original = only_file(m, "UTILMD55001");
  const auto ref = parse_market_file_name(original.name)->interchange_reference;
  const auto contrl = edifact::read_contrl(edifact::parse(only_file(m, "CONTRL").bytes).messages.at(0));
  CHECK(contrl.action == "4");
  CHECK(contrl.interchange_reference == ref);
  // Corrupt flips a byte in the middle of the file: a code of its kind at its level, never 18.
  const bool located = (contrl.error_code && contrl.service_segment) || contrl.messages.size() == 1;
  CHECK(located);
  CHECK(contrl.error_code.value_or("") != "18");
  CHECK(events_of(m.nb) == 0);
  CHECK_FALSE(m.nb.inbox()->contains(TenantId::from_party_id(kNb), kLfn + "/" + ref));
  CHECK(m.lf_party->pipeline().stats().contrl_rejections_received == 1);

  m.run_deadlines_until(berlin(2026, 3, 17, 12));
  auto s = lfn.state();
  CHECK(s.status == gpke::LfnLieferbeginnStatus::Pending);
  REQUIRE(s.steps.missed_deadlines().size() == 1);
  CHECK(s.steps.missed_deadlines()[0].deadline == gpke::kNbAnswerWatchdog);
  CHECK(iso(s.steps.missed_deadlines()[0].at) == "2026-03-17T10:00:00Z");  // 11:00 CET

  // Sent again intact (same interchange reference): now it is received, as the first time.
  m.nb_wire->drop_inbound(kLfn, "resend.edi", original.bytes);
  m.settle();
  CHECK(m.nb_party->pipeline().stats().duplicates == 0);
  CHECK(lfn.state().status == gpke::LfnLieferbeginnStatus::Confirmed);
}

TEST_CASE("silence is consent through real EDIFACT files", "[market][pipeline][silence]") {
  Market m;
  m.master_data->assign(kMalo, kLfa, make_date(2020, 1, 1));
  auto lfn = m.start_switch(kMalo, make_date(2026, 3, 25), berlin(2026, 3, 16, 10), "VG0004");
  CHECK(m.nb_process(kMalo)->state().status == gpke::NbLieferbeginnStatus::WaitingForLfa);
  const auto anfrage = utilmd_of(only_file(m, "UTILMD55010"));
  CHECK(utilmd_of(only_file(m, "UTILMD55036")).referenced_transaction == "VG0004");

  m.run_deadlines_until(berlin(2026, 3, 17, 13));
  const auto nb = m.nb_process(kMalo)->state();
  CHECK(nb.basis == "silence_consent");
  CHECK(iso(nb.steps.find_sent("55002")->sent_at) == "2026-03-17T08:00:00Z");  // 09:00 CET of the 1st WT
  CHECK(nb.steps.find_sent("55002")->met);
  CHECK(lfn.state().status == gpke::LfnLieferbeginnStatus::Confirmed);
  // The LFA saw the 55010 and the 55037 (matched by its MaLo: the AHB gives it no RFF+TN), and
  // recorded its own missed answer.
  const auto beendigung = utilmd_of(only_file(m, "UTILMD55037"));
  CHECK_FALSE(beendigung.referenced_transaction);
  CHECK(beendigung.malo_id == kMalo);
  CHECK(anfrage.request_received_on == std::chrono::sys_days(make_date(2026, 3, 16)));
  const auto lfa_id = m.lf.registry()->lookup(TenantId::from_party_id(kLfa), "malo", kMalo);
  const auto lfa = m.lf.resume<gpke::Beantwortung>(*lfa_id, gpke::lieferende_lfa()).state();
  CHECK(lfa.followups == std::vector<std::string>{"55037"});
  CHECK(lfa.steps.deadline_missed("answer-55011"));
}

TEST_CASE("a late LFA answer is ignored", "[market][pipeline][late]") {
  Market m;
  m.master_data->assign(kMalo, kLfa, make_date(2020, 1, 1));
  auto lfn = m.start_switch(kMalo, make_date(2026, 3, 25), berlin(2026, 3, 16, 10), "VG0005");
  m.run_deadlines_until(berlin(2026, 3, 17, 9, 30));
  m.lfa_answers(kMalo, false, berlin(2026, 3, 17, 10));  // 55012 after 09:00

  CHECK(m.sent_of_kind("UTILMD55012") == 1);
  const auto nb = m.nb_process(kMalo)->state();
  CHECK(nb.late_lfa_answers == 1);
  CHECK(nb.status == gpke::NbLieferbeginnStatus::Confirmed);
  CHECK(nb.basis == "silence_consent");
  m.run_deadlines_until(berlin(2026, 3, 17, 13));
  CHECK(lfn.state().status == gpke::LfnLieferbeginnStatus::Confirmed);
  CHECK(summarize_history(m.nb.event_store()).late_lfa_answers_ignored == 1);
}

TEST_CASE("an LFA answer in time decides, 55012 rejects the Anmeldung", "[market][pipeline]") {
  Market m;
  m.master_data->assign(kMalo, kLfa, make_date(2020, 1, 1));
  auto lfn = m.start_switch(kMalo, make_date(2026, 3, 25), berlin(2026, 3, 16, 10), "VG0006");
  m.lfa_answers(kMalo, false, berlin(2026, 3, 17, 8, 30));
  CHECK(m.nb_process(kMalo)->state().status == gpke::NbLieferbeginnStatus::Rejected);
  CHECK(lfn.state().status == gpke::LfnLieferbeginnStatus::Rejected);
  CHECK(utilmd_of(only_file(m, "UTILMD55003")).referenced_transaction == "VG0006");
}

TEST_CASE("Easter moves the 1st WT: a 55001 on Maundy Thursday is decided on Tuesday", "[market][pipeline][holiday]") {
  Market m;
  m.master_data->assign(kMalo, kLfa, make_date(2020, 1, 1));
  // Thursday 2026-04-02; Karfreitag 04-03, the weekend, Ostermontag 04-06 -> 1st WT Tuesday 04-07.
  auto lfn = m.start_switch(kMalo, make_date(2026, 4, 15), berlin(2026, 4, 2, 10), "VG0007");
  m.run_deadlines_until(berlin(2026, 4, 6, 23));
  CHECK(m.nb_process(kMalo)->state().status == gpke::NbLieferbeginnStatus::WaitingForLfa);
  m.run_deadlines_until(berlin(2026, 4, 7, 13));
  const auto nb = m.nb_process(kMalo)->state();
  CHECK(nb.basis == "silence_consent");
  CHECK(iso(*nb.lfa_window_due) == "2026-04-07T07:00:00Z");       // 09:00 CEST
  CHECK(iso(*lfn.state().answer_due) == "2026-04-07T09:00:00Z");  // 11:00 CEST
  CHECK(lfn.state().status == gpke::LfnLieferbeginnStatus::Confirmed);
}

TEST_CASE("a DST week: sent on Friday in CET, decided on Monday in CEST", "[market][pipeline][dst]") {
  Market m;
  m.master_data->assign(kMalo, kLfa, make_date(2020, 1, 1));
  auto lfn = m.start_switch(kMalo, make_date(2026, 4, 8), berlin(2026, 3, 27, 15), "VG0008");
  CHECK(iso(*m.nb_process(kMalo)->state().lfa_window_due) == "2026-03-30T07:00:00Z");  // 09:00 CEST
  CHECK(iso(*lfn.state().answer_due) == "2026-03-30T09:00:00Z");
  // The LFA answers on the switch night, 02:30 local does not exist: 03:30 CEST = 01:30Z.
  m.lfa_answers(kMalo, true, calendar::parse_utc("2026-03-29T01:30:00Z"));
  const auto nb = m.nb_process(kMalo)->state();
  CHECK(nb.basis == "lfa_consent");
  CHECK(nb.steps.find_sent("55002")->met);
  m.run_deadlines_until(berlin(2026, 3, 30, 13));
  CHECK(lfn.state().status == gpke::LfnLieferbeginnStatus::Confirmed);
  CHECK_FALSE(lfn.state().steps.deadline_missed(gpke::kNbAnswerWatchdog));
}

TEST_CASE("a 55001 whose lead time is missed is rejected with 55003", "[market][pipeline]") {
  Market m;
  m.master_data->add_malo(kMalo);
  auto lfn = m.start_switch(kMalo, make_date(2026, 3, 17), berlin(2026, 3, 16, 10), "VG0009", true);
  CHECK(m.nb_process(kMalo)->state().rejection_reason == "lead_time_missed");
  CHECK(lfn.state().status == gpke::LfnLieferbeginnStatus::Rejected);
}

TEST_CASE("the NB's master data follows its confirmed switches: the next 55001 asks the new supplier",
          "[market][pipeline][master-data]") {
  Market m;
  m.master_data->assign(kMalo, kLfa, make_date(2020, 1, 1));
  auto lfn = m.start_switch(kMalo, make_date(2026, 3, 25), berlin(2026, 3, 16, 10), "VG0010");
  m.lfa_answers(kMalo, true, berlin(2026, 3, 17, 8, 30));
  REQUIRE(lfn.state().status == gpke::LfnLieferbeginnStatus::Confirmed);
  CHECK(m.supply->switches_applied() == 0);  // caught up lazily, before the next lookup

  // The old supplier wants the customer back from 15 April: the NB now asks the LFN to end supply.
  m.set_now(berlin(2026, 3, 30, 10));
  auto back = m.lf.spawn<gpke::LfnLieferbeginn>(TenantId::from_party_id(kLfa),
                                                WorkflowId(gpke::workflow_names::kLieferbeginnLfn, "FV2025-10-01"));
  gpke::StartSwitch again{kMalo, make_date(2026, 4, 15), "E03", kNb, kLfa, berlin(2026, 3, 30, 10), "VG0011", false};
  again.customer = mako::edifact::UtilmdParty{"Jonas Weber", false, "Gartenweg 3", "Köln", "50667", "DE"};
  back.execute(std::move(again));
  m.settle();
  const auto nb = m.nb_process(kMalo);
  REQUIRE(nb);
  CHECK(nb->state().status == gpke::NbLieferbeginnStatus::WaitingForLfa);
  CHECK(nb->state().lfa == kLfn);
  std::size_t to_lfn = 0;
  for (const auto& f : m.traffic) {
    const auto parts = parse_market_file_name(f.name);
    if (parts->kind == "UTILMD55010" && parts->receiver == kLfn) ++to_lfn;
  }
  CHECK(to_lfn == 1);
  CHECK(m.supply->switches_applied() == 1);
  CHECK(m.master_data->assigned_supplier(kMalo, make_date(2026, 3, 24)) == kLfa);
  CHECK(m.master_data->assigned_supplier(kMalo, make_date(2026, 3, 25)) == kLfn);

  // A fresh projection over fresh master data replays the history to the same assignment.
  auto fresh = std::make_shared<InMemoryNbMasterData>();
  fresh->assign(kMalo, kLfa, make_date(2020, 1, 1));
  NbSupplyProjection replay(fresh);
  CHECK(replay.catch_up(m.nb.event_store()) == m.nb.event_store().head_position());
  CHECK(fresh->assigned_supplier(kMalo, make_date(2026, 3, 25)) == kLfn);
  CHECK(replay.catch_up(m.nb.event_store()) == 0);
}

TEST_CASE("a deferred pump round keeps its files in flight until settled: received once, settled after the commit",
          "[market][pipeline][inbox]") {
  Market m;
  m.master_data->add_malo(kMalo);
  m.set_now(berlin(2026, 3, 16, 10));
  gpke::OutboundUtilmd p;
  p.vorgang = market_test::complete_anmeldung("VG0020", kMalo, make_date(2026, 3, 25), kLfn, kNb);
  p.sent_at = berlin(2026, 3, 16, 10);
  m.nb_wire->drop_inbound(kLfn, "anmeldung.edi",
                          edifact::write(gpke::render_utilmd_interchange(Json(p), "DEFER1", "1")));

  auto unit = m.nb.begin_work_unit();
  CHECK(m.nb_party->pump(*m.now, MarketParticipant::Settle::Deferred).files_received == 1);
  CHECK(m.nb_party->pump(*m.now, MarketParticipant::Settle::Deferred).files_received == 0);  // in flight
  CHECK(m.nb_wire->processed_count() == 0);
  unit->commit();
  m.nb_party->settle_received();
  CHECK(m.nb_wire->processed_count() == 1);
  CHECK(m.nb_party->pipeline().stats().executed == 1);
  CHECK(m.nb_party->pipeline().stats().duplicates == 0);
  CHECK(m.nb_party->pump(*m.now).files_received == 0);
}

TEST_CASE("the pipeline's CONTRL/APERAK bytes (render_*) equal write(make_*)", "[market][acknowledgements]") {
  for (const auto now : {std::chrono::floor<std::chrono::seconds>(berlin(2026, 3, 2, 10)),
                         std::chrono::floor<std::chrono::seconds>(berlin(2026, 11, 2, 10))}) {
    const InterchangeHeader header{{"9904590000002", "500", ""}, {"9900467000000", "500", ""}, "IC?1"};
    CHECK(render_contrl(header, std::nullopt, now, "R1") ==
          edifact::write(make_contrl(header, std::nullopt, now, "R1")));
    edifact::SyntaxFault unt;
    unt.level = edifact::SyntaxFault::Level::Message;
    unt.error_code = edifact::kSyntaxCountMismatch;
    unt.service_segment = "UNT";
    unt.message_reference = "M1";
    unt.message_type = "UTILMD";
    CHECK(render_contrl(header, unt, now, "R2") == edifact::write(make_contrl(header, unt, now, "R2")));
    // unknown qualifiers (the fallback header of an unreadable file), routing, interchange level
    const InterchangeHeader odd{{"P+1", "", "ROUTE"}, {"0000000000000", "77", ""}, "UNKNOWN"};
    CHECK(render_contrl(odd, edifact::wrong_recipient_fault(), now, "R3") ==
          edifact::write(make_contrl(odd, edifact::wrong_recipient_fault(), now, "R3")));

    const calendar::Instant sent = berlin(2026, 3, 2, 9);
    for (const std::string own : {"9900467000000", "9800000000003", "4012345000009"}) {
      const AperakSubject positive{"DOC1", sent, "MSG1", "VG1", "", "", "", ""};
      CHECK(render_aperak(own, "9904590000002", positive, now, "A1") ==
            edifact::write(make_aperak(own, "9904590000002", positive, now, "A1")));
      const AperakSubject refused{
          "DOC:1", sent, "", "VG'1", edifact::kAperakRequiredMissing, "", std::string(600, 'x') + "? +", "SG4 IDE"};
      CHECK(render_aperak(own, "9904590000002", refused, now, "A2") ==
            edifact::write(make_aperak(own, "9904590000002", refused, now, "A2")));
      const AperakSubject bare{"DOC1", sent, "MSG1", "", edifact::kAperakRejectedByReceiver, "55999", "", ""};
      CHECK(render_aperak(own, "9904590000002", bare, now, "A3") ==
            edifact::write(make_aperak(own, "9904590000002", bare, now, "A3")));
    }
  }
}

TEST_CASE("interchange_reference_for: the 64-bit hash of the key, first 14 of 16 upper-case hex digits",
          "[market][acknowledgements]") {
  for (const std::string& key : std::vector<std::string>{"", "a", "CONTRL7|9904590000002|ABC", "APERAK313|x|y|z|Z29",
                                                         std::string(300, '\xff')}) {
    std::uint64_t h = 1469598103934665603ULL;
    for (unsigned char c : key) {
      h ^= c;
      h *= 1099511628211ULL;
    }
    char expected[17];
    std::snprintf(expected, sizeof expected, "%016llX", static_cast<unsigned long long>(h));
    CHECK(interchange_reference_for(key) == std::string(expected, 14));
  }
  CHECK(interchange_reference_for("") == "14650FB0739D03");  // the start value 1469598103934665603 = 0x14650FB0739D0383
}
