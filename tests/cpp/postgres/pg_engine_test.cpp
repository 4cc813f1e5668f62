// The engine on PostgreSQL: the lifecycle workflow runs on PgStore as on the other stores, and two
// engines on one schema (two instances) work on the same process with optimistic concurrency.
#include <catch2/catch.hpp>

#include <mako/core/engine.hpp>
#include <mako/core/lifecycle_workflow.hpp>
#include <mako/postgres/pg_snapshot_store.hpp>

#include "counter_workflow.hpp"
#include "postgres/pg_test_server.hpp"

using namespace mako;
using lifecycle::Status;
using mako::postgres::PgStore;

namespace {
const WorkflowId kWorkflow("lifecycle", "FV2025-10-01");
const TenantId tenant = TenantId::from_party_id("9900123456789");

EngineContext engine_on(const std::shared_ptr<PgStore>& store) {
  return EngineBuilder().with_event_store(store).with_snapshot_store(store->snapshots()).build();
}

// The counter workflow whose first command also sends a message: not held by this store yet.
struct Sending : counter::Workflow {
  WorkflowOutput<Event> handle(const State&, const Command& c) const {
    WorkflowOutput<Event> out{{Event{c.by}}};
    out.send(OutboundMessage{"DispatchAperak", "4012345000023", "APERAK", Json{{"ok", true}}, ""});
    return out;
  }
};
}  // namespace

TEST_CASE("postgres engine: two instances share a process, and the one behind catches up before deciding",
          "[postgres][engine]") {
  const auto schema = pg_test::fresh_schema("engine");
  auto store_a = PgStore::open(pg_test::conninfo(), pg_test::options(schema));
  auto store_b = PgStore::open(pg_test::conninfo(), pg_test::options(schema));
  auto a = engine_on(store_a);
  auto b = engine_on(store_b);

  auto p = a.spawn<lifecycle::Workflow>(tenant, kWorkflow);
  const auto envs = p.execute(lifecycle::Register{"MaLo 41373559241"});
  REQUIRE(envs.size() == 1);
  CHECK(envs[0].payload.json().dump() == R"({"type":"Registered","data":{"name":"MaLo 41373559241"}})");
  p.execute(lifecycle::Activate{});
  CHECK(p.take_snapshot(*store_a->snapshots(), 2));

  // Instance B resumes from the shared database (snapshot included) and moves the process on.
  auto q = b.resume<lifecycle::Workflow>(ProcessIdentity::from_json_string(p.identity().to_json_string()));
  CHECK(q.state_with_snapshot(*store_b->snapshots()).status == Status::Active);
  q.execute(lifecycle::Deactivate{});

  // A's handle is behind: before deciding it reads B's event (Activate is allowed only because the
  // process is Inactive now), and its append at the version it saw commits.
  p.execute_with_retry(lifecycle::Activate{}, 3);
  CHECK(p.state().status == Status::Active);
  CHECK(p.state().activations == 2);
  CHECK(store_b->stream_version(p.stream_id()) == 4);
  const auto stored = store_b->load(p.stream_id());
  REQUIRE(stored.size() == 4);
  CHECK(stored[0].to_json_string() == envs[0].to_json_string());
}

TEST_CASE("postgres engine: a command that sends a message is refused and writes nothing", "[postgres][engine]") {
  auto store = pg_test::fresh_store("engine_send");
  auto ctx = engine_on(store);
  auto p = ctx.spawn<Sending>(tenant, WorkflowId("counter", "FV2025-10-01"));
  try {
    p.execute(counter::Command{1});
    FAIL("the message has nowhere to go yet");
  } catch (const EngineError& e) {
    CHECK(e.is_invalid_input());
    CHECK_THAT(e.what(), Catch::Contains("outbox messages") && Catch::Contains("does not hold yet"));
  }
  CHECK(store->stream_version(p.stream_id()) == 0);
  CHECK(store->head_position() == 0);
}
