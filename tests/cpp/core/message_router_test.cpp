// MessageRouter: spawn and resume routes by opaque route keys; what cannot be routed is dead-lettered.
#include <catch2/catch.hpp>

#include <mako/core/engine.hpp>
#include <mako/core/message_router.hpp>

using namespace mako;

namespace {
const Timestamp t0 = parse_rfc3339("2025-10-01T08:00:00Z");
}

TEST_CASE(
    "message router: spawn and resume routes, unknown keys and missing processes are dead-lettered with the reason",
    "[runtime][router]") {
  auto ctx = EngineBuilder().build();
  const auto tenant = TenantId::from_party_id("9900123456789");
  const auto other = TenantId::from_party_id("9900987654321");
  auto p = ProcessIdentity::create(tenant, ProcessId::generate(), WorkflowId("anmeldung", "FV2025-10-01"));
  ctx.registry()->register_key(p, RegistryEntry{"vorgang", "V-1"});

  MessageRouter router(ctx.registry(), ctx.dead_letters());
  router.add_route("55001", Route{"anmeldung", Route::Action::Spawn, ""})
      .add_route("55002", Route{"anmeldung", Route::Action::Resume, "vorgang"});

  auto spawn = router.route(InboundMessage{tenant, "55001", "", "UNH+1", t0});
  CHECK(spawn.kind == RoutingDecision::Kind::Spawn);
  CHECK(spawn.workflow == "anmeldung");
  CHECK_FALSE(spawn.process);

  auto resume = router.route(InboundMessage{tenant, "55002", "V-1", "UNH+2", t0});
  CHECK(resume.kind == RoutingDecision::Kind::Resume);
  CHECK(resume.process == p);
  CHECK(ctx.dead_letters()->count() == 0);

  auto unknown = router.route(InboundMessage{tenant, "99999", "", "UNH+3 raw", t0});
  CHECK(unknown.dead_lettered());
  CHECK_THAT(unknown.reason, Catch::Contains("unknown route key '99999'"));
  auto foreign = router.route(InboundMessage{other, "55002", "V-1", "UNH+4", t0});  // another tenant's Vorgang
  CHECK(foreign.dead_lettered());
  CHECK_THAT(foreign.reason, Catch::Contains("no process") && Catch::Contains("vorgang 'V-1'"));
  auto no_ref = router.route(InboundMessage{tenant, "55002", "", "UNH+5", t0});
  CHECK(no_ref.dead_lettered());

  auto letters = ctx.dead_letters()->list();
  REQUIRE(letters.size() == 3);
  CHECK(letters[0].id == unknown.dead_letter_id);
  CHECK(letters[0].source == "router");
  CHECK(letters[0].route_key == "99999");
  CHECK(letters[0].payload == "UNH+3 raw");
  CHECK(letters[0].tenant == tenant);
  CHECK(letters[0].at == t0);
  CHECK(letters[0].reason == unknown.reason);

  CHECK_THROWS_AS(router.add_route("x", Route{"w", Route::Action::Resume, ""}), EngineError);  // resume needs a kind
  CHECK_THROWS_AS(router.add_route("", Route{"w"}), EngineError);
  CHECK(router.route_of("55002")->correlation_kind == "vorgang");
  CHECK_FALSE(router.route_of("99999"));
}

TEST_CASE("engine builder: runtime stores come from the event store unless given", "[runtime][wiring]") {
  auto store = std::make_shared<InMemoryEventStore>();
  auto own_outbox = std::make_shared<InMemoryOutboxStore>();
  auto ctx = EngineBuilder().with_event_store(store).with_outbox_store(own_outbox).build();
  CHECK(ctx.outbox() == own_outbox);
  CHECK(ctx.deadlines() == store->runtime_stores().deadlines);
  CHECK(ctx.registry() == store->runtime_stores().registry);
  CHECK(ctx.inbox());
  CHECK(ctx.dead_letters());
  CHECK(ctx.checkpoints());
  auto fresh = EngineBuilder().build();  // the default in-memory event store provides all six
  CHECK(fresh.outbox());
  CHECK(fresh.runtime_stores().deadlines);
}
