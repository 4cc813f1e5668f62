// The core process scenarios on SQLite: an engine built on SqliteStore and its snapshot store runs
// the lifecycle workflow exactly as on the in-memory stores, and a reopened file resumes processes.
#include <catch2/catch.hpp>

#include <mako/core/engine.hpp>
#include <mako/sqlite/sqlite_store.hpp>

#include <mako/core/lifecycle_workflow.hpp>
#include "contract/retry_contention.hpp"
#include "counter_workflow.hpp"
#include "sqlite/sqlite_db_peek.hpp"
#include "sqlite/test_paths.hpp"

using namespace mako;
using lifecycle::Status;

namespace {
const WorkflowId kWorkflow("lifecycle", "FV2025-10-01");

// The shared counter workflow whose first command also sends, schedules and registers.
struct Counter : counter::Workflow {
  WorkflowOutput<Event> handle(const State& s, const Command& c) const {
    WorkflowOutput<Event> out{{Event{c.by}}};
    if (s.value == 0) {
      out.send(OutboundMessage{"DispatchAperak", "4012345000023", "APERAK", Json{{"ok", true}}, ""});
      out.schedule(DeadlineRequest{"answer", parse_rfc3339("2025-10-02T09:00:00Z"), Json{{"type", "Timeout"}}});
      out.registrations.push_back(RegistryEntry{"malo", "41373559241"});
    }
    return out;
  }
};

std::string store_path(bool file) { return file ? sqlite_test::fresh_db("engine") : ":memory:"; }

EngineContext engine_on(const std::shared_ptr<sqlite::SqliteStore>& store) {
  return EngineBuilder().with_event_store(store).with_snapshot_store(store->snapshots()).build();
}
}  // namespace

TEST_CASE("sqlite engine: the lifecycle workflow runs on SQLite (file and :memory:)", "[sqlite][engine]") {
  const bool file = GENERATE(true, false);
  auto store = sqlite::SqliteStore::open(store_path(file));
  auto ctx = engine_on(store);
  auto tenant = TenantId::from_party_id("9900123456789");
  auto p = ctx.spawn<lifecycle::Workflow>(tenant, kWorkflow);
  CHECK(p.event_count() == 0);
  auto envs = p.execute(lifecycle::Register{"MaLo 41373559241"});
  REQUIRE(envs.size() == 1);
  CHECK(envs[0].sequence_number == 1);
  CHECK(envs[0].payload.json().dump() == R"({"type":"Registered","data":{"name":"MaLo 41373559241"}})");
  p.execute(lifecycle::Activate{});
  p.execute(lifecycle::Deactivate{});
  p.execute(lifecycle::Activate{});
  CHECK(p.state().status == Status::Active);
  CHECK(p.state().activations == 2);
  CHECK(p.event_count() == 4);

  try {
    p.execute(lifecycle::Register{"again"});
    FAIL("Register on an active process must be refused");
  } catch (const EngineError& e) {
    CHECK(e.is_invalid_state());
    CHECK(e.as_workflow_error()->expected() == "New");
    CHECK(e.as_workflow_error()->actual() == "Active");
  }
  CHECK(store->stream_version(p.stream_id()) == 4);  // a refused command writes nothing

  // A cold handle replays from the store; its JSON envelopes equal the ones execute returned.
  auto cold = ctx.resume<lifecycle::Workflow>(p.identity());
  CHECK(cold.replay().activations == 2);
  auto stored = store->load(p.stream_id());
  REQUIRE(stored.size() == 4);
  CHECK(stored[0].to_json_string() == envs[0].to_json_string());
}

TEST_CASE("sqlite engine: a reopened file resumes the process with its history and snapshot",
          "[sqlite][engine][snapshot]") {
  const auto path = sqlite_test::fresh_db("engine-reopen");
  std::string identity;
  {
    auto store = sqlite::SqliteStore::open(path);
    auto ctx = engine_on(store);
    auto p = ctx.spawn<lifecycle::Workflow>(TenantId::from_party_id("9900123456789"), kWorkflow);
    p.execute(lifecycle::Register{"persisted"});
    p.execute(lifecycle::Activate{});
    auto snaps = store->snapshots();
    CHECK(p.take_snapshot(*snaps, 2));
    CHECK_FALSE(p.take_snapshot(*snaps, 2));
    p.execute(lifecycle::Deactivate{});
    identity = p.identity().to_json_string();
  }
  auto store = sqlite::SqliteStore::open(path);
  auto ctx = engine_on(store);
  auto p = ctx.resume<lifecycle::Workflow>(ProcessIdentity::from_json_string(identity));
  CHECK(p.state().status == Status::Inactive);
  CHECK(p.state().name == "persisted");
  CHECK(p.event_count() == 3);
  auto snap = store->snapshots()->load(p.stream_id());
  REQUIRE(snap);
  CHECK(snap->sequence_number == 2);
  CHECK(snap->state["status"] == "Active");
  // The snapshot is used: mark it and see the marker survive the fold of the tail.
  store->snapshots()->save(
      Snapshot{p.stream_id(), 2, 1, Json::parse(R"({"status":"Active","name":"from-snapshot","activations":1})")});
  CHECK(p.state_with_snapshot(*store->snapshots()).name == "from-snapshot");
  CHECK(p.state_with_snapshot(*store->snapshots()).status == Status::Inactive);
  store->snapshots()->save(Snapshot{p.stream_id(), 2, 99, Json::parse(R"({"garbage":true})")});
  CHECK(p.state_with_snapshot(*store->snapshots()).name == "persisted");  // other schema: full replay
  auto warm = ctx.resume<lifecycle::Workflow>(p.identity());
  CHECK(warm.replay().name == "persisted");
  p.execute(lifecycle::Activate{});
  CHECK(p.state().activations == 2);
}

TEST_CASE("sqlite engine: upcast runs when replaying old events from the file", "[sqlite][engine][upcast]") {
  auto store = sqlite::SqliteStore::open(sqlite_test::fresh_db("engine-upcast"));
  auto ctx = engine_on(store);
  auto identity = ProcessIdentity::create(TenantId(), ProcessId(), kWorkflow);
  EventEnvelope old;
  old.event_type = "Registered";
  old.schema_version = 1;
  old.payload = Json::parse(R"({"type":"Registered","data":{"label":"legacy"}})");
  old.process_id = identity.process_id;
  old.tenant_id = identity.tenant_id;
  old.workflow_id = identity.workflow_id;
  CommitBatch b{identity.stream_id, ExpectedVersion::no_stream(), {old}, {}, {}, {}};
  store->append(b);
  auto p = ctx.resume<lifecycle::Workflow>(identity);
  CHECK(p.replay().name == "legacy");
  p.execute(lifecycle::Activate{});
  CHECK(p.state().status == Status::Active);
}

TEST_CASE("sqlite engine: execute_with_retry converges under contention on one file", "[sqlite][engine][concurrency]") {
  const bool file = GENERATE(true, false);
  auto store = sqlite::SqliteStore::open(store_path(file));
  auto ctx = engine_on(store);
  auto first = ctx.spawn<Counter>(TenantId(), WorkflowId("counter", "FV2025-10-01"));
  first.execute(Counter::Command{1});  // in the store from its first event on: now it can be resumed
  const auto identity = first.identity();
  const int failures = contract::execute_with_retry_from_threads<Counter>(ctx, identity, 6, 40);
  CHECK(failures == 0);
  CHECK(first.state().value == 241);
  CHECK(first.event_count() == 241);
  auto events = store->load(identity.stream_id);
  for (std::size_t i = 0; i < events.size(); ++i) REQUIRE(events[i].sequence_number == i + 1);
}

TEST_CASE("sqlite engine: outbound messages, deadlines and registrations land in their tables",
          "[sqlite][engine][outbox]") {
  const auto path = sqlite_test::fresh_db("engine-outbox");
  auto store = sqlite::SqliteStore::open(path);
  auto ctx = engine_on(store);
  auto p = ctx.spawn<Counter>(TenantId::from_party_id("9900123456789"), WorkflowId("counter", "FV2025-10-01"));
  p.execute(Counter::Command{1});
  p.execute(Counter::Command{1});
  sqlite_test::Peek peek(path);
  CHECK(peek.rows("SELECT idempotency_key FROM outbox") ==
        std::vector<std::vector<std::string>>{{outbox_idempotency_key(p.process_id(), "DispatchAperak", "4012345000023",
                                                                      FormatVersion::parse("FV2025-10-01"))
                                                   .to_string()}});
  CHECK(peek.count("SELECT count(*) FROM deadlines WHERE name = 'answer'") == 1);
  CHECK(peek.value("SELECT hex(process_id) FROM registry WHERE kind = 'malo' AND key = '41373559241'") ==
        peek.value("SELECT hex(process_id) FROM streams WHERE stream_id = '" + p.stream_id().str() + "'"));
}
