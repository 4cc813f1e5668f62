// The process cache: resumes through one runtime share one folded process, other writers' events
// are folded before it decides, it stays within its capacity, and a rolled-back unit clears it.
#include <catch2/catch.hpp>

#include <mako/core/engine.hpp>
#include <mako/core/workflow_registry.hpp>

#include "counter_workflow.hpp"

using namespace mako;

namespace {
const WorkflowId kCounter("counter", "FV2025-10-01");

long value_of(ProcessCore& p) {
  long v = 0;
  p.with_state([&](const StateBox& s, std::uint64_t) { v = p.runtime().state_to_json(s).at("value").get<long>(); });
  return v;
}
void add(ProcessCore& p, const WorkflowRuntime& runtime, int by) {
  p.execute([&](const StateBox& s) { return runtime.handle_json(s, Json{{"by", by}}); });
}
}  // namespace

TEST_CASE("process cache: resumes share one folded process, other writers' events are folded first",
          "[process][cache]") {
  WorkflowRegistry workflows;
  workflows.add<counter::Workflow>("counter");
  const auto runtime = workflows.get("counter");
  auto store = std::make_shared<InMemoryEventStore>();
  auto cached = EngineBuilder().with_event_store(store).with_process_cache(16).build();
  auto plain = EngineBuilder().with_event_store(store).build();  // another writer on the same store

  auto spawned = cached.spawn(runtime, TenantId(), kCounter);
  add(*spawned, *runtime, 1);
  auto again = cached.resume(runtime, spawned->identity());
  CHECK(again.get() == spawned.get());  // the spawned process, folded state and all
  CHECK(cached.services()->process_cache->size() == 1);

  auto other = plain.resume(runtime, spawned->identity());
  CHECK(other.get() != spawned.get());  // no cache there
  add(*other, *runtime, 10);

  auto third = cached.resume(runtime, spawned->identity());
  CHECK(value_of(*third) == 11);  // the other writer's event folded in
  add(*third, *runtime, 100);
  CHECK(value_of(*plain.resume(runtime, spawned->identity())) == 111);

  // Another runtime object (another registry) gets its own process.
  WorkflowRegistry others;
  others.add<counter::Workflow>("counter");
  CHECK(cached.resume(others.get("counter"), spawned->identity()).get() != spawned.get());
}

TEST_CASE("process cache: bounded by its capacity, a unit ended without commit clears it", "[process][cache]") {
  WorkflowRegistry workflows;
  workflows.add<counter::Workflow>("counter");
  const auto runtime = workflows.get("counter");
  auto engine = EngineBuilder().with_process_cache(4).build();
  for (int i = 0; i < 10; ++i) add(*engine.spawn(runtime, TenantId(), kCounter), *runtime, 1);
  CHECK(engine.services()->process_cache->size() <= 4);
  CHECK(engine.services()->process_cache->size() >= 1);
  {
    auto unit = engine.begin_work_unit();
    add(*engine.spawn(runtime, TenantId(), kCounter), *runtime, 1);
  }
  CHECK(engine.services()->process_cache->size() == 0);
  {
    auto unit = engine.begin_work_unit();
    add(*engine.spawn(runtime, TenantId(), kCounter), *runtime, 1);
    unit->commit();
  }
  CHECK(engine.services()->process_cache->size() == 1);
  CHECK_THROWS_AS(EngineBuilder().with_process_cache(0), EngineError);
}

TEST_CASE("process cache: typed spawn and resume share the cached process with resumes by registry runtime",
          "[process][cache]") {
  WorkflowRegistry workflows;
  workflows.add<counter::Workflow>("counter");
  const auto typed = workflows.get_typed<counter::Workflow>("counter");
  const auto erased = workflows.get("counter");
  CHECK(static_cast<const WorkflowRuntime*>(typed.get()) == erased.get());
  auto engine = EngineBuilder().with_process_cache(16).build();

  auto process = engine.spawn(typed, TenantId(), kCounter);
  process.execute(counter::Command{2});
  // The pipeline's view (erased runtime from the registry) is the very process the typed handle drives.
  auto by_registry = engine.resume(erased, process.identity());
  CHECK(by_registry.get() == &process.core());
  add(*by_registry, *erased, 3);
  CHECK(engine.resume(typed, process.identity()).state().value == 5);
  CHECK(&engine.resume(typed, process.identity()).core() == &process.core());

  // Without a cache every resume is a fresh fold, as before.
  auto plain = EngineBuilder().with_event_store(engine.event_store_ptr()).build();
  CHECK(&plain.resume(typed, process.identity()).core() != &process.core());
  CHECK(plain.resume(typed, process.identity()).state().value == 5);
}

TEST_CASE("workflow registry: get_typed names the workflow that runs another type", "[process][registry]") {
  struct Other : counter::Workflow {};
  WorkflowRegistry workflows;
  workflows.add<counter::Workflow>("counter");
  CHECK_THROWS_WITH(workflows.get_typed<Other>("counter"), Catch::Contains("'counter'") && Catch::Contains("Other"));
  CHECK_THROWS_WITH(workflows.get_typed<counter::Workflow>("nope"), Catch::Contains("no workflow named 'nope'"));
}
