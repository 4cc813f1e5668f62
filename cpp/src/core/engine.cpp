#include "mako/core/engine.hpp"

#include "mako/core/errors.hpp"

namespace mako {

std::shared_ptr<ProcessCore> EngineContext::spawn(std::shared_ptr<const WorkflowRuntime> runtime,
                                                  const TenantId& tenant, WorkflowId workflow_id) const {
  auto process = ProcessCore::spawn(services_, std::move(runtime), tenant, std::move(workflow_id));
  if (services_->process_cache) services_->process_cache->add(process);
  return process;
}

std::shared_ptr<ProcessCore> EngineContext::resume(std::shared_ptr<const WorkflowRuntime> runtime,
                                                   const ProcessIdentity& identity) const {
  if (!runtime) throw EngineError::invalid_input("resume needs a workflow runtime");
  auto make = [&] {
    auto process = std::make_shared<ProcessCore>(services_, std::move(runtime), identity);  // checks the identity first
    if (services_->events->stream_version(identity.stream_id) == 0)
      throw EngineError(EngineError::Kind::NotFound,
                        "no process " + identity.stream_id.str() + " in the event store (no event of tenant " +
                            identity.tenant_id.to_string() + ", process " + identity.process_id.to_string() +
                            "); spawn starts a process, resume continues one that exists");
    return process;
  };
  if (!services_->process_cache) return make();
  // A cached process needs no check: it was spawned or resumed here.
  return services_->process_cache->find_or_add(identity, runtime.get(), make);
}

void EngineContext::close() const {
  if (services_->process_cache) services_->process_cache->clear();  // its processes hold the services: a cycle
  services_->events->close();
}

namespace {
// Clears the process cache when the unit ends without commit (rolled back).
class CacheClearingUnit final : public WorkUnit {
 public:
  CacheClearingUnit(std::unique_ptr<WorkUnit> inner, std::shared_ptr<ProcessCache> cache)
      : inner_(std::move(inner)), cache_(std::move(cache)) {}
  ~CacheClearingUnit() override {
    if (committed_) return;
    inner_.reset();  // roll back first, then forget what was folded from it
    cache_->clear();
  }
  void commit() override {
    inner_->commit();
    committed_ = true;
  }

 private:
  std::unique_ptr<WorkUnit> inner_;
  std::shared_ptr<ProcessCache> cache_;
  bool committed_ = false;
};
}  // namespace

EngineContext EngineContext::with_process_cache(std::size_t capacity) const {
  auto services = std::make_shared<EngineServices>(*services_);
  services->process_cache = std::make_shared<ProcessCache>(capacity);
  return EngineContext(std::move(services));
}

std::unique_ptr<WorkUnit> EngineContext::begin_work_unit(UnitNesting nesting) const {
  auto unit = services_->events->begin_work_unit(nesting);
  if (!services_->process_cache) return unit;
  return std::make_unique<CacheClearingUnit>(std::move(unit), services_->process_cache);
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
EngineBuilder& EngineBuilder::with_process_cache(std::size_t capacity) {
  if (capacity == 0) throw EngineError::invalid_input("with_process_cache needs a capacity of at least 1");
  process_cache_capacity_ = capacity;
  return *this;
}
EngineBuilder& EngineBuilder::with_checkpoint_store(std::shared_ptr<CheckpointStore> store) {
  services_.runtime.checkpoints = std::move(store);
  return *this;
}

EngineContext EngineBuilder::build() const {
  auto services = std::make_shared<EngineServices>(services_);
  if (!services->events) services->events = std::make_shared<InMemoryEventStore>();
  // One cache per engine: it belongs to this event store.
  if (process_cache_capacity_ > 0) services->process_cache = std::make_shared<ProcessCache>(process_cache_capacity_);
  if (auto* provider = dynamic_cast<RuntimeStoresProvider*>(services->events.get()))
    services->runtime.fill_missing_from(provider->runtime_stores());
  return EngineContext(std::move(services));
}

}  // namespace mako
