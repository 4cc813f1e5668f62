// The engine on PostgreSQL: the lifecycle workflow runs on PgStore as on the other stores, two
// engines on one schema (two instances) work on the same process with optimistic concurrency, and
// the runtime services (outbox worker, deadline scheduler) run on the store's runtime stores.
#include <catch2/catch.hpp>

#include <map>
#include <stdexcept>
#include <thread>

#include <mako/core/deadline_scheduler.hpp>
#include <mako/core/engine.hpp>
#include <mako/core/lifecycle_workflow.hpp>
#include <mako/core/outbox_worker.hpp>
#include <mako/postgres/pg_snapshot_store.hpp>

#include "contract/runtime_fixture.hpp"
#include "core/answering_workflow.hpp"
#include "counter_workflow.hpp"
#include "postgres/pg_test_server.hpp"

using namespace mako;
using namespace std::chrono_literals;
using lifecycle::Status;
using mako::postgres::PgStore;

namespace {
const WorkflowId kWorkflow("lifecycle", "FV2025-10-01");
const TenantId tenant = TenantId::from_party_id("9900123456789");
const Timestamp t0 = parse_rfc3339("2025-10-01T08:00:00Z");

EngineContext engine_on(const std::shared_ptr<PgStore>& store) {
  return EngineBuilder().with_event_store(store).with_snapshot_store(store->snapshots()).build();
}

EngineContext clocked_engine_on(const std::shared_ptr<PgStore>& store) {
  return EngineBuilder().with_event_store(store).with_clock([] { return t0; }).build();
}

// The counter workflow whose command also sends a message.
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

TEST_CASE("postgres engine: a command that sends a message commits it with its event, and the engine's outbox has it",
          "[postgres][engine][outbox]") {
  auto store = pg_test::fresh_store("engine_send");
  auto ctx = engine_on(store);
  CHECK(ctx.outbox());  // taken from the PgStore (a RuntimeStoresProvider) by the builder
  auto p = ctx.spawn<Sending>(tenant, WorkflowId("counter", "FV2025-10-01"));
  p.execute(counter::Command{1});
  CHECK(store->stream_version(p.stream_id()) == 1);
  CHECK(ctx.outbox()->pending_count() == 1);
  const auto claimed = ctx.outbox()->claim_due(parse_rfc3339("2100-01-01T00:00:00Z"), 10);
  REQUIRE(claimed.size() == 1);
  CHECK(claimed[0].step == "DispatchAperak");
  CHECK(claimed[0].payload == Json{{"ok", true}});
  REQUIRE(claimed[0].process);
  CHECK(claimed[0].process->stream_id == p.stream_id());
  // The key the engine derives: a retried command would produce the same one (enqueued once).
  CHECK(claimed[0].idempotency_key == outbox_idempotency_key(p.identity().process_id, "DispatchAperak", "4012345000023",
                                                             FormatVersion::parse("FV2025-10-01"))
                                          .to_string());
}

TEST_CASE("postgres services: two schedulers on two instances fire each deadline once, as events",
          "[postgres][runtime][scheduler][concurrency]") {
  const auto schema = pg_test::fresh_schema("scheduler_race");
  WorkflowRegistry workflows;
  workflows.add<answering::Workflow>("answering");
  auto runtime = workflows.get("answering");
  auto store_a = PgStore::open(pg_test::conninfo(), pg_test::options(schema));
  auto store_b = PgStore::open(pg_test::conninfo(), pg_test::options(schema));
  auto ctx_a = clocked_engine_on(store_a), ctx_b = clocked_engine_on(store_b);
  CHECK(ctx_a.deadlines());

  std::vector<ProcessIdentity> processes;
  for (int i = 0; i < 25; ++i) {
    auto p = ctx_a.spawn(runtime, TenantId(), WorkflowId("answering", "FV2025-10-01"));
    p->execute([&](const StateBox& s) { return runtime->handle_json(s, Json{{"type", "Request"}}); });
    processes.push_back(p->identity());
  }
  CHECK(ctx_b.deadlines()->pending().size() == 25);

  DeadlineScheduler a(ctx_a, workflows), b(ctx_b, workflows);
  DeadlineRunReport ra, rb;
  std::thread ta([&] { ra = a.run_due(answering::kAnswerDue); });
  std::thread tb([&] { rb = b.run_due(answering::kAnswerDue); });
  ta.join();
  tb.join();
  CHECK(ra.count(DeadlineStatus::Fired) + rb.count(DeadlineStatus::Fired) == 25);
  CHECK(ra.results.size() + rb.results.size() == 25);
  for (const auto& p : processes) {
    auto events = store_a->load(p.stream_id);
    REQUIRE(events.size() == 2);
    CHECK(events[1].event_type == "TimedOut");
  }
  // Outcomes persist: a reopened store has nothing left to fire.
  store_a.reset();
  store_b.reset();
  auto reopened = PgStore::open(pg_test::conninfo(), pg_test::options(schema));
  CHECK_FALSE(reopened->deadlines()->next_due());
  CHECK(reopened->deadlines()->find(processes[0].stream_id, "answer")->status == DeadlineStatus::Fired);
}

TEST_CASE("postgres services: the outbox worker delivers committed messages, retries and dead letters persist",
          "[postgres][runtime][outbox-worker]") {
  struct Flaky : Transport {
    std::map<std::string, int> attempts;
    void send(const OutboxItem& m) override {
      if (++attempts[m.idempotency_key] < 2) throw std::runtime_error("503 from AS4 gateway");
    }
  };
  const auto schema = pg_test::fresh_schema("outbox_worker");
  auto store = PgStore::open(pg_test::conninfo(), pg_test::options(schema));
  auto ctx = clocked_engine_on(store);
  auto p = ProcessIdentity::create(TenantId(), ProcessId::generate(), WorkflowId("answering", "FV2025-10-01"));
  auto b = contract::process_commit(p, t0);
  b.expected = ExpectedVersion::no_stream();
  b.messages = {OutboundMessage{"Send", "4012345000023", "UTILMD", Json{{"n", 1}}, ""}};  // key derived by the store
  store->append(b);

  auto transport = std::make_shared<Flaky>();
  OutboxWorkerOptions options;
  options.retry = RetryPolicy{1min, 1h, 0.0, 5, 72h};
  OutboxWorker worker(ctx.outbox(), transport, options);
  CHECK(worker.run_once(t0).failed == 1);
  CHECK(worker.run_once(t0 + 59s).total() == 0);
  CHECK(worker.run_once(t0 + 1min).delivered == 1);
  const auto key =
      outbox_idempotency_key(p.process_id, "Send", "4012345000023", FormatVersion::parse("FV2025-10-01")).to_string();
  store.reset();
  auto item = PgStore::open(pg_test::conninfo(), pg_test::options(schema))->outbox()->find(key);
  REQUIRE(item);
  CHECK(item->status == OutboxStatus::Delivered);
  CHECK(item->attempts == 2);
  CHECK(item->last_error == "503 from AS4 gateway");
  CHECK(item->enqueued_at == t0);
}
