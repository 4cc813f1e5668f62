// The GPKE workflows on the real engine: the whole supplier switch between LFN, NB and LFA
// processes (each party's payloads become the next party's commands), deadlines delivered as JSON
// through the WorkflowRegistry (the scheduler's path), and every outbound payload rendered to
// UTILMD and read back.
#include <catch2/catch.hpp>

#include "mako/domain/edifact/ahb_check.hpp"

#include "gpke_test_support.hpp"
#include "mako/core/engine.hpp"
#include "mako/core/in_memory_event_store.hpp"
#include "mako/core/workflow_registry.hpp"
#include "mako/domain/gpke/register_workflows.hpp"

using namespace gpke_test;
using namespace mako::gpke;
using mako::EngineBuilder;
using mako::InMemoryEventStore;
using mako::TenantId;
using mako::WorkflowId;

namespace {

const auto kStart = make_date(2026, 3, 4);
const Instant kMonday = berlin(2026, 3, 2, 14);

UtilmdVorgang as_vorgang(const mako::OutboundMessage& m) { return m.payload.get<UtilmdVorgang>(); }

const mako::OutboundMessage& last_message(const InMemoryEventStore& store, const std::string& pid) {
  static mako::OutboundMessage found;
  bool ok = false;
  for (const auto& m : store.outbound_messages())
    if (m.payload.at("pid") == pid) {
      found = m;
      ok = true;
    }
  REQUIRE(ok);
  return found;
}

// Delivers a JSON command through the registry's runtime, as the scheduler / inbound pipeline will.
void deliver(const mako::EngineContext& ctx, const std::string& workflow, const mako::ProcessIdentity& id,
             const Json& command) {
  mako::WorkflowRegistry registry;
  register_workflows(registry);
  auto runtime = registry.get(workflow);
  auto core = ctx.resume(runtime, id);
  core->execute([&](const mako::StateBox& s) { return runtime->handle_json(s, command); });
}

}  // namespace

TEST_CASE("register_workflows names every GPKE workflow", "[gpke][registry]") {
  mako::WorkflowRegistry registry;
  register_workflows(registry);
  for (const auto& name : workflow_names_list()) CHECK(registry.contains(name));
  CHECK(workflow_names_list().size() == 9);
}

TEST_CASE("end to end: LFN -> NB -> LFA -> NB -> LFN / LFA on the engine", "[gpke][engine]") {
  auto store = std::make_shared<InMemoryEventStore>();
  auto ctx = EngineBuilder().with_event_store(store).build();
  const WorkflowId fv_nb(workflow_names::kLieferbeginnNb, "FV2025-06-06");

  // LFN sends the Anmeldung.
  auto lfn = ctx.spawn<LfnLieferbeginn>(TenantId::from_party_id(kLfn),
                                        WorkflowId(workflow_names::kLieferbeginnLfn, "FV2025-06-06"));
  lfn.execute(with_customer(StartSwitch{kMalo, kStart, "E03", kNb, kLfn, kMonday, std::string("ANM0001"), false}));
  const auto anmeldung = as_vorgang(last_message(*store, "55001"));

  // NB receives it (same ÜT), knows the LFA.
  auto nb = ctx.spawn<NbLieferbeginn>(TenantId::from_party_id(kNb), fv_nb);
  auto envs = nb.execute(ReceiveAnmeldung{anmeldung, kMonday, std::nullopt, NbStammdaten{kLfa, {}, {}}});
  CHECK(envs.front().event_type == "AnmeldungReceived");
  CHECK(envs.front().payload.json().at("data").at("latest_uebertragungstag") == "2026-03-02");

  // LFN gets the 55036, LFA gets the 55010 and consents before 09:00.
  lfn.execute(ReceiveNbMessage{as_vorgang(last_message(*store, "55036")), berlin(2026, 3, 2, 14, 1), kLfa});
  auto lfa = ctx.spawn<Beantwortung>(TenantId::from_party_id(kLfa),
                                     WorkflowId(workflow_names::kLieferendeLfa, "FV2025-06-06"), lieferende_lfa());
  lfa.execute(ReceiveRequest{as_vorgang(last_message(*store, "55010")), berlin(2026, 3, 2, 14, 1), kMonday});
  lfa.execute(Answer{true, std::nullopt, berlin(2026, 3, 3, 8)});
  nb.execute(ReceiveLfaAnswer{as_vorgang(last_message(*store, "55011")), berlin(2026, 3, 3, 8, 0), std::nullopt});
  CHECK(nb.state().status == NbLieferbeginnStatus::Confirmed);
  CHECK(nb.state().basis == "lfa_consent");

  // The answers reach LFN and LFA.
  lfn.execute(ReceiveNbMessage{as_vorgang(last_message(*store, "55002")), berlin(2026, 3, 3, 8, 1), std::nullopt});
  lfa.execute(ReceiveFollowUp{as_vorgang(last_message(*store, "55037")), berlin(2026, 3, 3, 8, 1)});
  CHECK(lfn.state().status == LfnLieferbeginnStatus::Confirmed);
  CHECK(lfn.state().existing_supplier == kLfa);
  CHECK(lfa.state().followups == std::vector<std::string>{"55037"});

  // Every step was met; the fold from storage equals the cached state.
  for (const auto& s : nb.replay().steps.sent()) CHECK(s.met);
  CHECK(Json(nb.replay()) == Json(nb.state()));

  // The scheduler's later deliveries find nothing to do (no write).
  const auto before = nb.event_count();
  for (const auto& d : store->deadlines())
    if (d.name == kLfaAnswerWindow || d.name == kAnswer55002Watchdog)
      deliver(ctx, workflow_names::kLieferbeginnNb, nb.identity(), d.command);
  CHECK(nb.event_count() == before);

  // Every outbound payload renders to a UTILMD that reads back with its PID, RFF+TN and date, and
  // that carries what the AHB of its PID asks for and nothing it forbids.
  const auto messages = store->outbound_messages();
  std::vector<std::string> pids;
  for (const auto& m : messages) pids.push_back(m.payload.at("pid").get<std::string>());
  CHECK(pids == std::vector<std::string>{"55001", "55036", "55010", "55011", "55002", "55037"});
  for (const auto& m : messages) {
    INFO(m.step);
    const auto u = wire_round_trip(m.payload);
    REQUIRE(u.transactions.size() == 1);
    const auto& t = u.transactions[0];
    CHECK(t.pid == m.payload.at("pid").get<std::string>());
    CHECK(t.reference == m.payload.at("transaction_reference").get<std::string>());
    CHECK(u.receiver.id == m.recipient);
    for (const auto& v : mako::edifact::check_utilmd_ahb(u)) FAIL_CHECK(v.message());
    const auto day = t.start ? t.start : t.end;  // Beginn zum, or Ende zum of the old supply
    if (t.pid != "55036") CHECK(mako::calendar::berlin_date(*day) == kStart);
    if (t.pid != "55011") CHECK(t.malo_id == kMalo);
    if (t.pid == "55010") {
      CHECK(t.request_received_on == std::chrono::sys_days(make_date(2026, 3, 2)));  // ÜT of the 55001
      CHECK(t.other_party->id == kLfn);
      CHECK(t.customer->name == "Erika Müller");
    }
    if (t.pid == "55036") CHECK(t.other_party->id == kLfa);
    if (t.pid == "55001") CHECK(t.correspondence->city == "Berlin");
    if (t.pid == "55037") CHECK_FALSE(t.referenced_transaction);  // matched by MaLo (AHB: no RFF+TN)
    else if (m.payload.contains("referenced_transaction"))
      CHECK(t.referenced_transaction == m.payload.at("referenced_transaction").get<std::string>());
    else CHECK_FALSE(t.referenced_transaction);
    CHECK(m.idempotency_key.size() == 36);  // filled by the engine
  }
}

TEST_CASE("engine + registry: silence is consent when the scheduler delivers the 09:00 deadline as JSON",
          "[gpke][engine]") {
  auto store = std::make_shared<InMemoryEventStore>();
  auto ctx = EngineBuilder().with_event_store(store).build();
  auto nb = ctx.spawn<NbLieferbeginn>(TenantId::from_party_id(kNb),
                                      WorkflowId(workflow_names::kLieferbeginnNb, "FV2025-06-06"));
  nb.execute(ReceiveAnmeldung{anmeldung_55001(kStart), kMonday, std::nullopt, NbStammdaten{kLfa, {}, {}}});

  // The registrations route the LFA's answer (RFF+TN) and the MaLo back to this process.
  bool routes_vorgang = false, routes_malo = false;
  for (const auto& r : store->registrations()) {
    routes_vorgang |= r.kind == "vorgang" && r.key == *nb.state().beendigung_reference;
    routes_malo |= r.kind == "malo" && r.key == kMalo;
  }
  CHECK(routes_vorgang);
  CHECK(routes_malo);

  const auto deadlines = store->deadlines();
  REQUIRE(deadlines.size() == 2);
  deliver(ctx, workflow_names::kLieferbeginnNb, nb.identity(), deadlines[0].command);  // 09:00 window
  auto s = nb.state();
  CHECK(s.status == NbLieferbeginnStatus::Confirmed);
  CHECK(s.basis == "silence_consent");
  CHECK(iso(s.steps.find_sent("55002")->sent_at) == "2026-03-03T08:00:00Z");
  CHECK(last_message(*store, "55002").payload.at("sent_at") == "2026-03-03T08:00:00Z");

  // A scheduler that fires late says so in "at": the answer is recorded as missed.
  auto store2 = std::make_shared<InMemoryEventStore>();
  auto ctx2 = EngineBuilder().with_event_store(store2).build();
  auto nb2 = ctx2.spawn<NbLieferbeginn>(TenantId::from_party_id(kNb),
                                        WorkflowId(workflow_names::kLieferbeginnNb, "FV2025-06-06"));
  nb2.execute(ReceiveAnmeldung{anmeldung_55001(kStart), kMonday, std::nullopt, NbStammdaten{kLfa, {}, {}}});
  Json late = store2->deadlines()[0].command;
  late["data"]["at"] = "2026-03-03T10:30:00Z";
  deliver(ctx2, workflow_names::kLieferbeginnNb, nb2.identity(), late);
  CHECK_FALSE(nb2.state().steps.find_sent("55002")->met);
  // An unknown command is refused with the engine's invalid-input error.
  CHECK_THROWS_AS(deliver(ctx2, workflow_names::kLieferbeginnNb, nb2.identity(), Json{{"type", "Nope"}}),
                  mako::EngineError);
}

TEST_CASE("engine + registry: Abmeldung NB->LF silence, Kündigung and the 55003 render", "[gpke][engine]") {
  auto store = std::make_shared<InMemoryEventStore>();
  auto ctx = EngineBuilder().with_event_store(store).build();
  // Spawn by registry runtime, drive only by JSON (as Python or the CLI would).
  mako::WorkflowRegistry registry;
  register_workflows(registry);
  auto runtime = registry.get(workflow_names::kAbmeldungDurchNbNb);
  auto core =
      ctx.spawn(runtime, TenantId::from_party_id(kNb), WorkflowId(workflow_names::kAbmeldungDurchNbNb, "FV2025-06-06"));
  SendRequest send{kMalo, make_date(2026, 3, 21), "E03", kNb, kLfa, kMonday, std::nullopt};
  Json cmd = Json{{"type", "SendRequest"}};
  to_json(cmd["data"], send);
  core->execute([&](const mako::StateBox& s) { return runtime->handle_json(s, cmd); });
  REQUIRE(store->deadlines().size() == 1);
  CHECK(store->deadlines()[0].name == "answer-55008");
  CHECK(iso(std::chrono::floor<std::chrono::seconds>(store->deadlines()[0].due)) == "2026-03-03T04:00:00Z");
  core->execute([&](const mako::StateBox& s) { return runtime->handle_json(s, store->deadlines()[0].command); });
  const auto state = runtime->state_to_json(*core->state());
  CHECK(state.at("status") == "Confirmed");
  CHECK(state.at("basis") == "silence");
  const auto events = store->load(core->identity().stream_id);
  CHECK(events.back().event_type == "SilenceCountedAsConsent");

  // 55003 with the pending start (FV2604, S2.1): the EDIFACT carries PID, RFF+TN, the answer
  // code A06 of E_0622 and, as the AHB asks for A06, the pending start (DTM+Z07/Z08).
  auto nb = ctx.spawn<NbLieferbeginn>(TenantId::from_party_id(kNb),
                                      WorkflowId(workflow_names::kLieferbeginnNb, "FV2026-04-01"));
  nb.execute(ReceiveAnmeldung{anmeldung_55001(make_date(2026, 3, 5), "E01", "ANM9"), berlin(2026, 3, 2, 14),
                              std::nullopt, NbStammdaten{std::nullopt, make_date(2026, 3, 4), std::nullopt}});
  const auto& rejection = last_message(*store, "55003");
  CHECK(rejection.payload.at("pending_start") == "2026-03-04");
  const auto u = wire_round_trip(rejection.payload);
  CHECK(u.association == "S2.1");
  CHECK(u.document_code == "E01");
  CHECK(u.sender.id == kNb);
  CHECK(u.transactions[0].pid == "55003");
  CHECK(u.transactions[0].referenced_transaction == "ANM9");
  CHECK(u.transactions[0].answer_code == "A06");
  CHECK(u.transactions[0].answer_code_list == "E_0622");
  CHECK(u.transactions[0].pending_start == mako::calendar::berlin_start_of_day(make_date(2026, 3, 4)));
  CHECK(u.transactions[0].reason == "E01");
  CHECK(u.transactions[0].malo_id.empty());  // LOC+Z16 is not part of the 55003's Prüfschablone
  CHECK(mako::edifact::check_utilmd_ahb(u).empty());
}
