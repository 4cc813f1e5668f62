#include "mako/core/engine.hpp"

#include "mako/core/errors.hpp"

namespace mako {

std::shared_ptr<ProcessCore> EngineContext::spawn(std::shared_ptr<const WorkflowRuntime> runtime, const TenantId& tenant,
                                                  WorkflowId workflow_id) const {
  return ProcessCore::spawn(services_, std::move(runtime), tenant, std::move(workflow_id));
}

std::shared_ptr<ProcessCore> EngineContext::resume(std::shared_ptr<const WorkflowRuntime> runtime,
                                                   const ProcessIdentity& identity) const {
  if (!runtime) throw EngineError::invalid_input("resume needs a workflow runtime");
  return std::make_shared<ProcessCore>(services_, std::move(runtime), identity);
}

EngineBuilder& EngineBuilder::with_event_store(std::shared_ptr<EventStore> store) {
  services_.events = std::move(store);
  return *this;
}

EngineBuilder& EngineBuilder::with_snapshot_store(std::shared_ptr<SnapshotStore> store) {
  services_.snapshots = std::move(store);
  return *this;
}

EngineBuilder& EngineBuilder::with_clock(Clock clock) {
  if (!clock) throw EngineError::invalid_input("with_clock needs a callable clock");
  services_.clock = std::move(clock);
  return *this;
}

EngineBuilder& EngineBuilder::with_runtime_stores(RuntimeStores stores) {
  services_.runtime = std::move(stores);
  return *this;
}
EngineBuilder& EngineBuilder::with_outbox_store(std::shared_ptr<OutboxStore> store) {
  services_.runtime.outbox = std::move(store);
  return *this;
}
EngineBuilder& EngineBuilder::with_deadline_store(std::shared_ptr<DeadlineStore> store) {
  services_.runtime.deadlines = std::move(store);
  return *this;
}
EngineBuilder& EngineBuilder::with_process_registry(std::shared_ptr<ProcessRegistry> registry) {
  services_.runtime.registry = std::move(registry);
  return *this;
}
EngineBuilder& EngineBuilder::with_inbox_store(std::shared_ptr<InboxStore> store) {
  services_.runtime.inbox = std::move(store);
  return *this;
}
EngineBuilder& EngineBuilder::with_dead_letter_sink(std::shared_ptr<DeadLetterSink> sink) {
  services_.runtime.dead_letters = std::move(sink);
  return *this;
}
EngineBuilder& EngineBuilder::with_checkpoint_store(std::shared_ptr<CheckpointStore> store) {
  services_.runtime.checkpoints = std::move(store);
  return *this;
}

EngineContext EngineBuilder::build() const {
  auto services = std::make_shared<EngineServices>(services_);
  if (!services->events) services->events = std::make_shared<InMemoryEventStore>();
  if (auto* provider = dynamic_cast<RuntimeStoresProvider*>(services->events.get()))
    services->runtime.fill_missing_from(provider->runtime_stores());
  return EngineContext(std::move(services));
}

}  // namespace mako
