#pragma once
// Wiring: EngineBuilder assembles the stores and clock into an EngineContext, which spawns new
// processes and resumes existing ones.
#include <memory>
#include <type_traits>

#include "mako/core/in_memory_event_store.hpp"
#include "mako/core/process.hpp"

namespace mako {

class EngineContext {
 public:
  explicit EngineContext(std::shared_ptr<const EngineServices> services) : services_(std::move(services)) {}

  template <Workflow W>
  Process<W> spawn(const TenantId& tenant, WorkflowId workflow_id, W workflow = W{}) const {
    return spawn(runtime_for(std::move(workflow)), tenant, std::move(workflow_id));
  }
  template <Workflow W>
  Process<W> resume(const ProcessIdentity& identity, W workflow = W{}) const {
    return resume(runtime_for(std::move(workflow)), identity);
  }
  // The same with a given typed runtime, e.g. the one a WorkflowRegistry holds (get_typed): with a
  // process cache, the processes are then shared with whatever resumes them through the registry.
  template <Workflow W>
  Process<W> spawn(std::shared_ptr<const TypedWorkflowRuntime<W>> runtime, const TenantId& tenant,
                   WorkflowId workflow_id) const {
    auto core = spawn(std::shared_ptr<const WorkflowRuntime>(runtime), tenant, std::move(workflow_id));
    return Process<W>(std::move(core), std::move(runtime));
  }
  template <Workflow W>
  Process<W> resume(std::shared_ptr<const TypedWorkflowRuntime<W>> runtime, const ProcessIdentity& identity) const {
    auto core = resume(std::shared_ptr<const WorkflowRuntime>(runtime), identity);
    return Process<W>(std::move(core), std::move(runtime));
  }

  // The same for any runtime (Python workflows, registry entries). With a process cache
  // (EngineBuilder::with_process_cache) every spawn and resume, typed or not, goes through it:
  // resume returns the cached process of that identity and runtime object, whose folded state is
  // kept between uses. Resume throws EngineError(NotFound) when the store has no event of the
  // identity's stream (spawn starts a process; a resume never creates one, e.g. under a wrong tenant).
  std::shared_ptr<ProcessCore> spawn(std::shared_ptr<const WorkflowRuntime> runtime, const TenantId& tenant,
                                     WorkflowId workflow_id) const;
  std::shared_ptr<ProcessCore> resume(std::shared_ptr<const WorkflowRuntime> runtime,
                                      const ProcessIdentity& identity) const;

  EventStore& event_store() const { return *services_->events; }
  const std::shared_ptr<EventStore>& event_store_ptr() const { return services_->events; }
  SnapshotStore* snapshot_store() const { return services_->snapshots.get(); }
  const std::shared_ptr<SnapshotStore>& snapshot_store_ptr() const { return services_->snapshots; }
  Timestamp now() const { return services_->clock(); }
  const Clock& clock() const { return services_->clock; }

  // The runtime stores; each is null when not configured.
  const RuntimeStores& runtime_stores() const { return services_->runtime; }
  const std::shared_ptr<OutboxStore>& outbox() const { return services_->runtime.outbox; }
  const std::shared_ptr<DeadlineStore>& deadlines() const { return services_->runtime.deadlines; }
  const std::shared_ptr<ProcessRegistry>& registry() const { return services_->runtime.registry; }
  const std::shared_ptr<InboxStore>& inbox() const { return services_->runtime.inbox; }
  const std::shared_ptr<DeadLetterSink>& dead_letters() const { return services_->runtime.dead_letters; }
  const std::shared_ptr<CheckpointStore>& checkpoints() const { return services_->runtime.checkpoints; }
  const std::shared_ptr<const EngineServices>& services() const { return services_; }

  // A unit of work on the event store (work_unit.hpp): for SQLite, everything the calling thread
  // writes until commit() -- events and runtime stores alike -- is one transaction.
  // The same engine (stores, clock) with its own process cache of `capacity` processes, for a
  // long-running component such as a market participant; this context is left as it is.
  EngineContext with_process_cache(std::size_t capacity = 4096) const;

  // A unit that ends without commit() also clears the process cache: its folds may include
  // writes that were rolled back.
  std::unique_ptr<WorkUnit> begin_work_unit(UnitNesting nesting = UnitNesting::Savepoint) const;

  // Closes the event store (EventStore::close: a SQLite file is checkpointed and left
  // self-contained) and empties the process cache. Every copy of this context shares the store,
  // so all of them are closed. Also happens when the last owner of a SQLite store lets go of it.
  void close() const;

 private:
  template <Workflow W>
  static std::shared_ptr<const TypedWorkflowRuntime<W>> runtime_for(W workflow) {
    if constexpr (std::is_empty_v<W> && std::is_default_constructible_v<W>) {
      // A stateless workflow behaves alike in every instance: all its processes share one runtime,
      // created once and never destroyed, held without reference counting (no owner to count).
      static const TypedWorkflowRuntime<W>* const shared = new TypedWorkflowRuntime<W>();
      return std::shared_ptr<const TypedWorkflowRuntime<W>>(std::shared_ptr<void>(), shared);
    } else {
      return std::make_shared<const TypedWorkflowRuntime<W>>(std::move(workflow));
    }
  }

  std::shared_ptr<const EngineServices> services_;
};

class EngineBuilder {
 public:
  EngineBuilder& with_event_store(std::shared_ptr<EventStore> store);
  EngineBuilder& with_snapshot_store(std::shared_ptr<SnapshotStore> store);
  EngineBuilder& with_clock(Clock clock);
  // Runtime stores. Those left unset are taken from the event store when it provides them
  // (InMemoryEventStore, SqliteStore: RuntimeStoresProvider), so its commits feed them.
  EngineBuilder& with_runtime_stores(RuntimeStores stores);
  EngineBuilder& with_outbox_store(std::shared_ptr<OutboxStore> store);
  EngineBuilder& with_deadline_store(std::shared_ptr<DeadlineStore> store);
  EngineBuilder& with_process_registry(std::shared_ptr<ProcessRegistry> registry);
  EngineBuilder& with_inbox_store(std::shared_ptr<InboxStore> store);
  EngineBuilder& with_dead_letter_sink(std::shared_ptr<DeadLetterSink> sink);
  EngineBuilder& with_checkpoint_store(std::shared_ptr<CheckpointStore> store);
  // Keeps up to `capacity` recently used processes folded between resumes (process_cache.hpp).
  EngineBuilder& with_process_cache(std::size_t capacity = 4096);
  // Without an event store, the engine keeps events in memory.
  EngineContext build() const;

 private:
  EngineServices services_;
  std::size_t process_cache_capacity_ = 0;
};

}  // namespace mako
