#include <catch2/catch.hpp>

#include <thread>

#include <mako/core/engine.hpp>
#include <mako/core/in_memory_snapshot_store.hpp>
#include <mako/core/workflow_registry.hpp>

#include <mako/core/lifecycle_workflow.hpp>
#include "contract/retry_contention.hpp"
#include "counter_workflow.hpp"

using namespace mako;
using lifecycle::Status;

namespace {
const WorkflowId kWorkflow("lifecycle", "FV2025-10-01");

using Counter = counter::Workflow;
}  // namespace

TEST_CASE("spawn, execute and fold a typed workflow", "[process]") {
  auto ctx = EngineBuilder().build();
  auto tenant = TenantId::from_party_id("9900123456789");
  auto p = ctx.spawn<lifecycle::Workflow>(tenant, kWorkflow);
  CHECK(p.event_count() == 0);
  CHECK(p.state().status == Status::New);

  auto envs = p.execute(lifecycle::Register{"MaLo 41373559241"});
  REQUIRE(envs.size() == 1);
  CHECK(envs[0].sequence_number == 1);
  CHECK(envs[0].event_type == "Registered");
  CHECK(envs[0].schema_version == 2);
  CHECK(envs[0].payload.json().dump() == R"({"type":"Registered","data":{"name":"MaLo 41373559241"}})");
  CHECK(envs[0].stream_id == p.stream_id());
  CHECK(envs[0].tenant_id == tenant);
  CHECK(envs[0].process_id == p.process_id());
  CHECK(envs[0].workflow_id == kWorkflow);
  CHECK(envs[0].conversation_id.uuid() == p.process_id().uuid());
  CHECK(envs[0].correlation_id.has_value());
  CHECK_FALSE(envs[0].causation_id.has_value());

  auto act = p.execute(lifecycle::Activate{});
  CHECK(act[0].payload.json().dump() == R"({"type":"Activated"})");
  auto s = p.state();
  CHECK(s.status == Status::Active);
  CHECK(s.name == "MaLo 41373559241");
  CHECK(s.activations == 1);
  CHECK(p.event_count() == 2);
  CHECK(p.identity().stream_id == StreamId::for_process(tenant, p.process_id()));
  CHECK(p.tenant_id() == tenant);
  CHECK(p.workflow_id() == kWorkflow);
}

TEST_CASE("workflow errors are classified", "[process][errors]") {
  auto ctx = EngineBuilder().build();
  auto p = ctx.spawn<lifecycle::Workflow>(TenantId(), kWorkflow);
  try {
    p.execute(lifecycle::Activate{});
    FAIL("Activate on a new process must be refused");
  } catch (const EngineError& e) {
    CHECK(e.is_workflow_error());
    CHECK_FALSE(e.is_version_conflict());
    CHECK_FALSE(e.is_transient());
    CHECK(e.is_invalid_state());
    REQUIRE(e.as_workflow_error() != nullptr);
    CHECK(e.as_workflow_error()->kind() == WorkflowError::Kind::InvalidState);
    CHECK(e.as_workflow_error()->expected() == "Registered or Inactive");
    CHECK(e.as_workflow_error()->actual() == "New");
    CHECK_FALSE(e.as_workflow_error()->is_rejected());
  }
  CHECK(p.event_count() == 0);  // a refused command writes nothing
  try {
    p.execute(lifecycle::Register{""});
    FAIL();
  } catch (const EngineError& e) {
    CHECK(e.as_workflow_error()->is_validation());
    CHECK(std::string(e.what()).find("name must not be empty") != std::string::npos);
  }
  CHECK(WorkflowError::rejected("no").is_rejected());
  CHECK(WorkflowError::not_implemented("x").is_not_implemented());
  CHECK(WorkflowError::other("x").is_other());
  CHECK(EngineError(EngineError::Kind::Busy, "locked").is_transient());
  CHECK_FALSE(EngineError(EngineError::Kind::Storage, "disk").is_transient());
  CHECK(EngineError(EngineError::Kind::Storage, "disk").is_storage_error());
  CHECK(EngineError(EngineError::Kind::Storage, "disk").is_store_failure());
  CHECK(EngineError(EngineError::Kind::Interrupted, "ctrl-c").is_store_failure());
  CHECK(EngineError(EngineError::Kind::Busy, "locked").is_store_failure());
  CHECK_FALSE(EngineError::version_conflict("s", "Exact(1)", 2).is_store_failure());
  CHECK_FALSE(EngineError::invalid_input("bad").is_store_failure());
}

TEST_CASE("execute_with stamps the command context and checks it", "[process]") {
  auto ctx = EngineBuilder().build();
  auto p = ctx.spawn<lifecycle::Workflow>(TenantId(), kWorkflow);
  auto corr = CorrelationId::from_interchange_ref("A000123");
  auto cause = CausationId::generate();
  auto conv = ConversationId::generate();
  CommandContext cc;
  cc.with_correlation(corr)
      .with_causation(cause)
      .with_conversation(conv)
      .with_tenant(p.tenant_id())
      .with_workflow(p.workflow_id());
  auto envs = p.execute_with(lifecycle::Register{"x"}, cc);
  CHECK(envs[0].correlation_id == corr);
  CHECK(envs[0].causation_id == cause);
  CHECK(envs[0].conversation_id == conv);

  CommandContext wrong;
  wrong.with_tenant(TenantId());
  CHECK_THROWS_WITH(p.execute_with(lifecycle::Activate{}, wrong),
                    Catch::Contains("does not match the process's tenant"));
  CHECK(p.event_count() == 1);
}

TEST_CASE("an injected clock stamps event timestamps", "[process]") {
  auto t0 = parse_rfc3339("2026-03-29T00:30:00Z");
  auto ctx = EngineBuilder().with_clock([&] { return t0; }).build();
  auto p = ctx.spawn<lifecycle::Workflow>(TenantId(), kWorkflow);
  CHECK(format_rfc3339(p.execute(lifecycle::Register{"x"})[0].timestamp) == "2026-03-29T00:30:00Z");
}

TEST_CASE("resume from the identity's JSON sees the same history", "[process]") {
  auto ctx = EngineBuilder().build();
  auto p = ctx.spawn<lifecycle::Workflow>(TenantId(), kWorkflow);
  p.execute(lifecycle::Register{"x"});
  auto saved = p.identity().to_json_string();
  auto again = ctx.resume<lifecycle::Workflow>(ProcessIdentity::from_json_string(saved));
  CHECK(again.state().status == Status::Registered);
  again.execute(lifecycle::Activate{});
  // The first handle folds the other handle's event before deciding: no stale decision.
  CHECK_THROWS_MATCHES(
      p.execute(lifecycle::Activate{}), EngineError,
      Catch::Matchers::Predicate<EngineError>([](const EngineError& e) { return e.is_invalid_state(); }));
  CHECK(p.state().status == Status::Active);
}

TEST_CASE("execute_with_retry converges under contention", "[process][concurrency]") {
  auto ctx = EngineBuilder().build();
  auto first = ctx.spawn<Counter>(TenantId(), WorkflowId("counter", "FV2025-10-01"));
  first.execute(Counter::Command{1});  // in the store from its first event on: now it can be resumed
  const auto identity = first.identity();
  const int failures = contract::execute_with_retry_from_threads<Counter>(ctx, identity, 8, 100);
  CHECK(failures == 0);
  CHECK(first.state().value == 801);
  CHECK(first.event_count() == 801);
}

TEST_CASE("execute without retry reports the conflict, retry keeps one correlation id", "[process][concurrency]") {
  // A store that lets another writer slip in before each of the first two appends.
  struct Interfering : InMemoryEventStore {
    int remaining = 2;
    std::uint64_t append(CommitBatch& batch) override {
      if (remaining-- > 0) {
        CommitBatch other{batch.stream_id, ExpectedVersion::any(), {batch.events[0]}, {}, {}};
        InMemoryEventStore::append(other);
      }
      return InMemoryEventStore::append(batch);
    }
  };
  auto store = std::make_shared<Interfering>();
  auto ctx = EngineBuilder().with_event_store(store).build();
  auto p = ctx.spawn<Counter>(TenantId(), WorkflowId("counter", "FV2025-10-01"));
  try {
    p.execute(Counter::Command{1});
    FAIL("expected a version conflict");
  } catch (const EngineError& e) {
    CHECK(e.is_version_conflict());
    CHECK(e.is_transient());
  }
  auto envs = p.execute_with_retry(Counter::Command{5}, 3);  // one more interference, then success
  REQUIRE(envs.size() == 1);
  CHECK(envs[0].sequence_number == 3);
  CHECK(p.state().value == 1 + 5 + 5);  // two interfering copies plus the committed command
  auto all = store->load(p.stream_id());
  CHECK(all[1].correlation_id == all[2].correlation_id);  // interfering copy carries the attempt's id
  store->remaining = 10;
  CHECK_THROWS_MATCHES(
      p.execute_with_retry(Counter::Command{1}, 2), EngineError,
      Catch::Matchers::Predicate<EngineError>([](const EngineError& e) { return e.is_version_conflict(); }));
  CHECK_THROWS_WITH(p.execute_with_retry(Counter::Command{1}, 0), Catch::Contains("max_attempts"));
}

TEST_CASE("take_snapshot follows the interval rule and reports whether it saved", "[snapshot]") {
  auto ctx = EngineBuilder().build();
  InMemorySnapshotStore snaps;
  auto p = ctx.spawn<Counter>(TenantId(), WorkflowId("counter", "FV2025-10-01"));
  CHECK_FALSE(p.take_snapshot(snaps, 3));  // 0 events
  p.execute(Counter::Command{1});
  p.execute(Counter::Command{1});
  CHECK_FALSE(p.take_snapshot(snaps, 3));  // 2 - 0 < 3
  CHECK_FALSE(p.take_snapshot(snaps, 0));  // interval 0 never saves
  p.execute(Counter::Command{1});
  CHECK(p.take_snapshot(snaps, 3));  // 3 - 0 >= 3
  auto s = snaps.load(p.stream_id());
  REQUIRE(s);
  CHECK(s->sequence_number == 3);
  CHECK(s->state.dump() == R"({"value":3})");
  CHECK_FALSE(p.take_snapshot(snaps, 3));  // 3 - 3 < 3
  for (int i = 0; i < 3; ++i) p.execute(Counter::Command{1});
  CHECK(p.take_snapshot(snaps, 3));
  CHECK(snaps.load(p.stream_id())->sequence_number == 6);
  CHECK(p.take_snapshot(snaps, 1) == false);
}

TEST_CASE("state_with_snapshot starts from a matching snapshot and ignores another schema", "[snapshot]") {
  auto ctx = EngineBuilder().build();
  InMemorySnapshotStore snaps;
  auto p = ctx.spawn<lifecycle::Workflow>(TenantId(), kWorkflow);
  p.execute(lifecycle::Register{"real"});
  p.execute(lifecycle::Activate{});
  // A snapshot at sequence 1 with a marker name proves it was used (only the tail is replayed).
  snaps.save(
      Snapshot{p.stream_id(), 1, 1, Json::parse(R"({"status":"Registered","name":"from-snapshot","activations":0})")});
  auto s = p.state_with_snapshot(snaps);
  CHECK(s.name == "from-snapshot");
  CHECK(s.status == Status::Active);
  CHECK(s.activations == 1);
  // Another state schema version: ignored, full replay.
  snaps.save(Snapshot{p.stream_id(), 1, 99, Json::parse(R"({"garbage":true})")});
  auto full = p.state_with_snapshot(snaps);
  CHECK(full.name == "real");
  CHECK(full.activations == 1);
}

TEST_CASE("an engine-level snapshot store warms cold processes", "[snapshot]") {
  auto snaps = std::make_shared<InMemorySnapshotStore>();
  auto ctx = EngineBuilder().with_snapshot_store(snaps).build();
  auto p = ctx.spawn<lifecycle::Workflow>(TenantId(), kWorkflow);
  p.execute(lifecycle::Register{"real"});
  snaps->save(
      Snapshot{p.stream_id(), 1, 1, Json::parse(R"({"status":"Registered","name":"from-snapshot","activations":0})")});
  auto cold = ctx.resume<lifecycle::Workflow>(p.identity());
  CHECK(cold.state().name == "from-snapshot");
  CHECK(cold.replay().name == "real");  // replay ignores snapshots
}

TEST_CASE("upcast runs on every replay path", "[upcast]") {
  auto snaps = std::make_shared<InMemorySnapshotStore>();
  auto ctx = EngineBuilder().with_snapshot_store(snaps).build();
  auto identity = ProcessIdentity::create(TenantId(), ProcessId(), kWorkflow);
  // An event written by an older version of the workflow: schema 1 with "label".
  EventEnvelope old;
  old.event_type = "Registered";
  old.schema_version = 1;
  old.payload = Json::parse(R"({"type":"Registered","data":{"label":"legacy"}})");
  old.process_id = identity.process_id;
  old.tenant_id = identity.tenant_id;
  old.workflow_id = identity.workflow_id;
  CommitBatch b{identity.stream_id, ExpectedVersion::no_stream(), {old}, {}, {}};
  ctx.event_store().append(b);

  auto p = ctx.resume<lifecycle::Workflow>(identity);
  CHECK(p.replay().name == "legacy");
  CHECK(p.state().name == "legacy");
  InMemorySnapshotStore empty;
  CHECK(p.state_with_snapshot(empty).name == "legacy");
  auto fresh = ctx.resume<lifecycle::Workflow>(identity);
  fresh.execute(lifecycle::Activate{});  // execute folds through upcast too
  CHECK(fresh.state().status == Status::Active);
  CHECK(fresh.take_snapshot(*snaps, 1));
  CHECK(snaps->load(identity.stream_id)->state["name"] == "legacy");
}

TEST_CASE("an event the workflow cannot decode is a serialization error, and nothing is decided", "[errors]") {
  auto ctx = EngineBuilder().build();
  auto identity = ProcessIdentity::create(TenantId(), ProcessId(), kWorkflow);
  EventEnvelope bad;
  bad.event_type = "Exploded";
  bad.payload = Json::parse(R"({"type":"Exploded"})");
  CommitBatch b{identity.stream_id, ExpectedVersion::any(), {bad}, {}, {}};
  ctx.event_store().append(b);
  auto p = ctx.resume<lifecycle::Workflow>(identity);
  try {
    p.execute(lifecycle::Register{"x"});
    FAIL();
  } catch (const EngineError& e) {
    CHECK(e.kind() == EngineError::Kind::Serialization);
    CHECK(std::string(e.what()).find("Exploded") != std::string::npos);
  }
  CHECK(p.event_count() == 1);
}

TEST_CASE("outbound messages and deadlines commit with the events and get idempotency keys", "[process][outbox]") {
  struct Sender {
    using State = Counter::State;
    using Event = Counter::Event;
    using Command = Counter::Command;
    void apply(State& s, const Event& e) const { s.value += e.by; }
    WorkflowOutput<Event> handle(const State&, const Command& c) const {
      WorkflowOutput<Event> out{{Event{c.by}}};
      if (c.by > 0) {
        out.send(OutboundMessage{"DispatchAperak", "4012345000023", "APERAK", Json{{"ok", true}}, ""});
        out.schedule(DeadlineRequest{"answer", parse_rfc3339("2025-10-02T09:00:00Z"), Json{{"type", "Timeout"}}});
      } else {
        out.events.clear();  // messages without events are refused
        out.send(OutboundMessage{"X", "Y", "Z", Json(), ""});
      }
      return out;
    }
  };
  auto store = std::make_shared<InMemoryEventStore>();
  auto ctx = EngineBuilder().with_event_store(store).build();
  auto p = ctx.spawn<Sender>(TenantId(), WorkflowId("sender", "FV2025-10-01"));
  p.execute(Counter::Command{1});
  auto msgs = store->outbound_messages();
  REQUIRE(msgs.size() == 1);
  CHECK(msgs[0].idempotency_key ==
        outbox_idempotency_key(p.process_id(), "DispatchAperak", "4012345000023", FormatVersion::parse("FV2025-10-01"))
            .to_string());
  REQUIRE(store->deadlines().size() == 1);
  CHECK(store->deadlines()[0].name == "answer");
  CHECK_THROWS_WITH(p.execute(Counter::Command{0}), Catch::Contains("at least one event"));
  CHECK(store->outbound_messages().size() == 1);
}

TEST_CASE("the registry drives built-in workflows by name with JSON commands", "[registry]") {
  WorkflowRegistry registry;
  registry.add<lifecycle::Workflow>("lifecycle");
  CHECK(registry.contains("lifecycle"));
  auto ctx = EngineBuilder().build();
  auto runtime = registry.get("lifecycle");
  auto core = ctx.spawn(runtime, TenantId(), kWorkflow);
  auto decide = [&](const Json& cmd) {
    return [&runtime, cmd](const StateBox& s) { return runtime->handle_json(s, cmd); };
  };
  core->execute(decide(Json::parse(R"({"type":"Register","data":{"name":"json"}})")));
  core->execute(decide(Json::parse(R"({"type":"Activate"})")));
  CHECK(runtime->state_to_json(*core->state()).dump() == R"({"status":"Active","name":"json","activations":1})");
  CHECK_THROWS_WITH(core->execute(decide(Json::parse(R"({"type":"Launch"})"))), Catch::Contains("Command type"));
  CHECK_THROWS_WITH(registry.get("nope"), Catch::Contains("known: lifecycle"));
}

TEST_CASE("a spawned process skips the first read, and a leaked identity still cannot fork the stream", "[process]") {
  auto ctx = EngineBuilder().build();
  auto p = ctx.spawn<lifecycle::Workflow>(TenantId(), kWorkflow);
  // Someone writes to the new stream before the spawned handle's first command (a leaked identity
  // cannot be resumed before the stream has an event, so straight through the store).
  EventEnvelope first;
  first.event_type = "Registered";
  first.payload = Json::parse(R"({"type":"Registered","data":{"name":"first"}})");
  first.process_id = p.identity().process_id;
  first.tenant_id = p.identity().tenant_id;
  first.workflow_id = p.identity().workflow_id;
  CommitBatch leaked{p.identity().stream_id, ExpectedVersion::no_stream(), {first}, {}, {}};
  ctx.event_store().append(leaked);
  try {
    p.execute(lifecycle::Register{"second"});
    FAIL("the Exact(0) append must conflict");
  } catch (const EngineError& e) {
    CHECK(e.is_version_conflict());
  }
  // The next attempt folds for real and decides on the true state.
  CHECK_THROWS_MATCHES(
      p.execute(lifecycle::Register{"second"}), EngineError,
      Catch::Matchers::Predicate<EngineError>([](const EngineError& e) { return e.is_invalid_state(); }));
  CHECK(p.state().name == "first");
  auto q = ctx.spawn<lifecycle::Workflow>(TenantId(), kWorkflow);
  CHECK(q.execute_with_retry(lifecycle::Register{"x"}, 3)[0].sequence_number == 1);
}

TEST_CASE("a typed event's payload is kept natively and renders the same JSON whenever read", "[process][payload]") {
  auto store = std::make_shared<InMemoryEventStore>();
  auto ctx = EngineBuilder().with_event_store(store).build();
  auto p = ctx.spawn<lifecycle::Workflow>(TenantId(), kWorkflow);
  auto envs = p.execute(lifecycle::Register{"MaLo"});
  const auto stored = store->load(p.stream_id());
  REQUIRE(stored.size() == 1);
  // The returned and the stored envelope share the native event, so its JSON is rendered once.
  REQUIRE(envs[0].payload.native() != nullptr);
  CHECK(stored[0].payload.native() == envs[0].payload.native());
  CHECK(&stored[0].payload.json() == &envs[0].payload.json());
  CHECK(stored[0].to_json_string() == envs[0].to_json_string());
  CHECK(EventEnvelope::from_json_string(stored[0].to_json_string()).payload.json().dump() ==
        R"({"type":"Registered","data":{"name":"MaLo"}})");

  // Readers racing for the first rendering all see one complete value.
  auto raced = p.execute(lifecycle::Activate{});
  std::vector<const Json*> seen(8);
  std::vector<std::thread> readers;
  for (std::size_t i = 0; i < seen.size(); ++i)
    readers.emplace_back([&, i] { seen[i] = &store->load(p.stream_id())[1].payload.json(); });
  for (auto& t : readers) t.join();
  for (const Json* j : seen) CHECK(j == &raced[0].payload.json());
  CHECK(raced[0].payload.json().dump() == R"({"type":"Activated"})");

  // Editing turns the payload into plain JSON; the stored event is untouched.
  EventEnvelope edited = envs[0];
  edited.payload.mutable_json()["data"]["name"] = "other";
  CHECK(edited.payload.native() == nullptr);
  CHECK(store->load(p.stream_id())[0].payload.json()["data"]["name"] == "MaLo");
  // A cold process decodes the same history from the stored events.
  CHECK(ctx.resume<lifecycle::Workflow>(p.identity()).state().status == Status::Active);
}

namespace {
// A workflow with data: each process keeps the instance it was spawned with.
struct NamedLifecycle : lifecycle::Workflow {
  std::string label;
};
}  // namespace

TEST_CASE("processes of a stateless workflow share one runtime, a workflow with data keeps its own", "[process]") {
  auto ctx = EngineBuilder().build();
  auto a = ctx.spawn<lifecycle::Workflow>(TenantId(), kWorkflow);
  auto b = ctx.spawn<lifecycle::Workflow>(TenantId(), kWorkflow);
  a.execute(lifecycle::Register{"a"});  // resumable from its first event on
  auto c = ctx.resume<lifecycle::Workflow>(a.identity());
  CHECK(&a.core().runtime() == &b.core().runtime());
  CHECK(&a.core().runtime() == &c.core().runtime());
  CHECK(a.process_id() != b.process_id());

  auto x = ctx.spawn<NamedLifecycle>(TenantId(), kWorkflow, NamedLifecycle{{}, "x"});
  auto y = ctx.spawn<NamedLifecycle>(TenantId(), kWorkflow, NamedLifecycle{{}, "y"});
  using Runtime = TypedWorkflowRuntime<NamedLifecycle>;
  CHECK(static_cast<const Runtime&>(x.core().runtime()).workflow().label == "x");
  CHECK(static_cast<const Runtime&>(y.core().runtime()).workflow().label == "y");
  x.execute(lifecycle::Register{"MaLo"});
  CHECK(x.state().status == Status::Registered);
  CHECK(y.state().status == Status::New);
}

TEST_CASE("resume of a process the store does not hold is NotFound, and writes nothing", "[process][resume]") {
  auto ctx = EngineBuilder().build();
  const auto tenant_a = TenantId::from_party_id("9900123456789");
  const auto tenant_b = TenantId::from_party_id("9900987654321");
  auto p = ctx.spawn<lifecycle::Workflow>(tenant_a, kWorkflow);
  p.execute(lifecycle::Register{"x"});
  // The same process id under another tenant names no stream: resuming it must not start one.
  const auto elsewhere = ProcessIdentity::create(tenant_b, p.identity().process_id, kWorkflow);
  for (const auto& identity : {elsewhere, ProcessIdentity::create(tenant_a, ProcessId::generate(), kWorkflow)}) {
    try {
      ctx.resume<lifecycle::Workflow>(identity);
      FAIL("resume of a process without events must fail");
    } catch (const EngineError& e) {
      CHECK(e.is_not_found());
      CHECK_THAT(e.what(), Catch::Matchers::Contains(identity.stream_id.str()) && Catch::Matchers::Contains("spawn"));
    }
  }
  CHECK(ctx.event_store().head_position() == 1);
  // With a process cache too; the existing process still resumes.
  auto cached = ctx.with_process_cache(8);
  CHECK_THROWS_MATCHES(cached.resume<lifecycle::Workflow>(elsewhere), EngineError,
                       Catch::Matchers::Predicate<EngineError>([](const EngineError& e) { return e.is_not_found(); }));
  CHECK(cached.resume<lifecycle::Workflow>(p.identity()).state().status == Status::Registered);
}

namespace {
// A workflow whose event serialises without a type.
struct Nameless {
  struct State {
    int n = 0;
  };
  struct Event {
    std::string_view event_type() const { return ""; }
  };
  struct Command {};
  State initial_state() const { return {}; }
  void apply(State& s, const Event&) const { ++s.n; }
  std::vector<Event> handle(const State&, const Command&) const { return {Event{}}; }
};
inline void to_json(Json& j, const Nameless::Event&) { j = Json{{"type", ""}}; }
inline void from_json(const Json&, Nameless::Event&) {}
inline void to_json(Json& j, const Nameless::State& s) { j = Json{{"n", s.n}}; }
inline void from_json(const Json& j, Nameless::State& s) { s.n = j.at("n").get<int>(); }
}  // namespace

TEST_CASE("a workflow deciding on an event without a type is refused, nothing written", "[process][errors]") {
  auto ctx = EngineBuilder().build();
  auto p = ctx.spawn<Nameless>(TenantId(), WorkflowId("nameless", "FV2025-10-01"));
  try {
    p.execute(Nameless::Command{});
    FAIL("an event without a type must be refused");
  } catch (const EngineError& e) {
    CHECK(e.is_invalid_input());
    CHECK_THAT(e.what(), Catch::Matchers::Contains("empty event type") && Catch::Matchers::Contains("nameless"));
  }
  CHECK(ctx.event_store().head_position() == 0);
}
