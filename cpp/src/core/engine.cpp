#include "mako/core/engine.hpp"

#include "mako/core/errors.hpp"

namespace mako {

std::shared_ptr<ProcessCore> EngineContext::spawn(std::shared_ptr<const WorkflowRuntime> runtime, const TenantId& tenant,
                                                  WorkflowId workflow_id) const {
  return resume(std::move(runtime), ProcessIdentity::create(tenant, ProcessId::generate(), std::move(workflow_id)));
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

EngineContext EngineBuilder::build() const {
  auto services = std::make_shared<EngineServices>(services_);
  if (!services->events) services->events = std::make_shared<InMemoryEventStore>();
  return EngineContext(std::move(services));
}

}  // namespace mako
