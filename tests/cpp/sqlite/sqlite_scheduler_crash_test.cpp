// A scheduler killed while firing a deadline leaves it pending, not claimed forever: claim,
// command and outcome are one unit of work, so the claim rolls back with the crash and the next
// run fires the deadline (once).
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <mako/core/deadline_scheduler.hpp>
#include <mako/core/engine.hpp>
#include <mako/sqlite/sqlite_store.hpp>

#include "core/answering_workflow.hpp"
#include "sqlite/killing_event_store.hpp"
#include "sqlite/test_paths.hpp"

using namespace mako;
using mako::sqlite::SqliteStore;

TEST_CASE("sqlite services: a scheduler killed mid-fire leaves the deadline pending, the next run fires it",
          "[sqlite][runtime][scheduler][crash]") {
  const auto path = sqlite_test::fresh_db("scheduler-crash");
  WorkflowRegistry workflows;
  workflows.add<answering::Workflow>("answering");
  auto runtime = workflows.get("answering");
  ProcessIdentity process = [&] {
    auto store = SqliteStore::open(path);
    auto engine = EngineBuilder().with_event_store(store).build();
    auto p = engine.spawn(runtime, TenantId(), WorkflowId("answering", "FV2025-10-01"));
    p->execute([&](const StateBox& s) { return runtime->handle_json(s, Json{{"type", "Request"}}); });
    return p->identity();
  }();

  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    auto store = SqliteStore::open(path);
    auto engine = EngineBuilder()
                      .with_event_store(std::make_shared<sqlite_test::KillingEventStore>(store, 1))
                      .with_runtime_stores(store->runtime_stores())
                      .build();
    DeadlineScheduler(engine, workflows).run_due(answering::kAnswerDue);  // claims, then dies appending
    ::_exit(3);
  }
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  REQUIRE(WIFSIGNALED(status));

  auto store = SqliteStore::open(path);
  CHECK(store->integrity_check() == "ok");
  auto engine = EngineBuilder().with_event_store(store).build();
  CHECK(engine.deadlines()->find(process.stream_id, "answer")->status == DeadlineStatus::Pending);
  const auto report = DeadlineScheduler(engine, workflows).run_due(answering::kAnswerDue);
  CHECK(report.count(DeadlineStatus::Fired) == 1);
  CHECK(store->load(process.stream_id).back().event_type == "TimedOut");
  CHECK(engine.deadlines()->find(process.stream_id, "answer")->status == DeadlineStatus::Fired);
}
