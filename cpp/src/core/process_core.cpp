#include "mako/core/process_core.hpp"

#include <algorithm>
#include <random>
#include <thread>

#include "mako/core/errors.hpp"

namespace mako {

ProcessCore::ProcessCore(std::shared_ptr<const EngineServices> services, std::shared_ptr<const WorkflowRuntime> runtime,
                         ProcessIdentity identity)
    : services_(std::move(services)),
      runtime_(std::move(runtime)),
      identity_(std::move(identity)),
      conversation_(identity_.process_id.uuid()) {
  if (!identity_.stream_id.is_process_stream(identity_.tenant_id, identity_.process_id))
    throw EngineError::invalid_input("process identity: stream_id '" + identity_.stream_id.str() +
                                     "' does not match process/{tenant_id}/{process_id}");
}

ProcessCore::ProcessCore(SpawnKey, std::shared_ptr<const EngineServices> services,
                         std::shared_ptr<const WorkflowRuntime> runtime, ProcessIdentity identity)
    : services_(std::move(services)),
      runtime_(std::move(runtime)),
      identity_(std::move(identity)),
      conversation_(identity_.process_id.uuid()),
      state_(runtime_->initial_state()),
      skip_next_fold_(true) {}

std::shared_ptr<ProcessCore> ProcessCore::spawn(std::shared_ptr<const EngineServices> services,
                                                std::shared_ptr<const WorkflowRuntime> runtime, const TenantId& tenant,
                                                WorkflowId workflow_id) {
  if (!runtime) throw EngineError::invalid_input("spawn needs a workflow runtime");
  return std::make_shared<ProcessCore>(SpawnKey{}, std::move(services), std::move(runtime),
                                       ProcessIdentity::create(tenant, ProcessId::generate(), std::move(workflow_id)));
}

std::uint64_t ProcessCore::fold_into(StateBox& state, std::uint64_t after) const {
  std::uint64_t version = after;
  services_->events->fold_stream(identity_.stream_id, after, [&](const EventEnvelope& e) {
    if (e.sequence_number != version + 1)
      throw EngineError(EngineError::Kind::Corrupt, "stream '" + identity_.stream_id.str() + "' jumps from sequence " +
                                                        std::to_string(version) + " to " +
                                                        std::to_string(e.sequence_number));
    runtime_->apply(state, e);
    version = e.sequence_number;
  });
  return version;
}

void ProcessCore::assume_new_stream() {
  std::lock_guard lock(mutex_);
  state_ = runtime_->initial_state();
  version_ = 0;
  skip_next_fold_ = true;
}

void ProcessCore::refresh_locked(bool before_append) {
  // Only a write may skip the read: its Exact(version) append catches anything it missed.
  if (before_append && skip_next_fold_ && state_) {
    skip_next_fold_ = false;
    return;
  }
  skip_next_fold_ = false;
  try {
    if (!state_) {
      version_ = 0;
      std::optional<Snapshot> snap;
      if (services_->snapshots) snap = services_->snapshots->load(identity_.stream_id);
      if (snap && snap->state_schema_version == runtime_->state_schema_version()) {
        state_ = runtime_->state_from_json(snap->state);
        version_ = snap->sequence_number;
      } else {
        state_ = runtime_->initial_state();
      }
    }
    version_ = fold_into(*state_, version_);
  } catch (...) {
    // A half-applied fold must never be decided upon: start from scratch next time.
    state_.reset();
    version_ = 0;
    throw;
  }
}

void ProcessCore::invalidate() {
  std::lock_guard lock(mutex_);
  skip_next_fold_ = false;
  state_.reset();
  version_ = 0;
}

std::vector<EventEnvelope> ProcessCore::execute(const Decider& decide, const CommandContext& context) {
  std::lock_guard lock(mutex_);
  return execute_locked(decide, context);
}

std::vector<EventEnvelope> ProcessCore::execute_locked(const Decider& decide, const CommandContext& context) {
  if (context.tenant_id && *context.tenant_id != identity_.tenant_id)
    throw EngineError::invalid_input("command context tenant " + context.tenant_id->to_string() +
                                     " does not match the process's tenant " + identity_.tenant_id.to_string());
  if (context.workflow_id && *context.workflow_id != identity_.workflow_id)
    throw EngineError::invalid_input("command context workflow " + context.workflow_id->to_string() +
                                     " does not match the process's workflow " + identity_.workflow_id.to_string());
  refresh_locked(/*before_append=*/true);

  ErasedOutput output;
  try {
    output = decide(*state_);
  } catch (const WorkflowError& e) {
    throw EngineError::workflow(e);
  }
  if (output.events.empty()) {
    if (!output.messages.empty() || !output.deadlines.empty() || !output.registrations.empty())
      throw EngineError::invalid_input(
          "a workflow output with messages, deadlines or registrations must contain at least one event recording why");
    return {};
  }

  CommitBatch batch{identity_.stream_id,        ExpectedVersion::exact(version_), {},
                    std::move(output.messages), std::move(output.deadlines),      std::move(output.registrations)};
  const Timestamp now = services_->clock();
  const CorrelationId correlation = context.correlation_id ? *context.correlation_id : CorrelationId::generate();
  const ConversationId conversation = context.conversation_id ? *context.conversation_id : conversation_;
  for (std::size_t i = 0; i < output.events.size(); ++i)
    if (output.events[i].event_type.empty())
      throw EngineError::invalid_input(
          "event " + std::to_string(i + 1) + " of " + std::to_string(output.events.size()) + " the workflow " +
          identity_.workflow_id.to_string() +
          " decided on has an empty event type; every event needs a type. Nothing was written");
  batch.events.reserve(output.events.size());
  for (auto& ne : output.events) {
    // Built in place with every id given (a default-constructed envelope would draw four random ids
    // to discard). The arguments follow EventEnvelope's member order, event_id to payload.
    batch.events.emplace_back(EventId::generate(), identity_.stream_id, std::uint64_t{0}, now,
                              std::optional<CorrelationId>(correlation), context.causation_id, conversation,
                              identity_.process_id, identity_.tenant_id, identity_.workflow_id,
                              std::move(ne.event_type), ne.schema_version, std::move(ne.payload));
  }
  for (auto& m : batch.messages)
    if (m.idempotency_key.empty())
      m.idempotency_key =
          outbox_idempotency_key(identity_.process_id, m.step, m.recipient, identity_.workflow_id.format_version())
              .to_string();

  std::uint64_t new_version = 0;
  try {
    new_version = services_->events->append(batch);
  } catch (const EngineError& e) {
    // A stream behind the cached fold: a unit of work that held this process's earlier commits
    // rolled back. The cache describes events that do not exist; fold from scratch next time.
    if (e.is_version_conflict() && e.actual_version() < version_) {
      state_.reset();
      version_ = 0;
    }
    throw;
  }
  try {
    for (const auto& e : batch.events) runtime_->apply(*state_, e);
    version_ = new_version;
  } catch (...) {
    state_.reset();  // committed, but this workflow's apply failed: re-fold next time
    version_ = 0;
    throw;
  }
  return std::move(batch.events);
}

std::vector<EventEnvelope> ProcessCore::execute_with_retry(const Decider& decide, const CommandContext& context,
                                                           unsigned max_attempts) {
  if (max_attempts == 0) throw EngineError::invalid_input("execute_with_retry needs max_attempts >= 1");
  CommandContext ctx = context;
  if (!ctx.correlation_id) ctx.correlation_id = CorrelationId::generate();  // one id for all attempts
  thread_local std::minstd_rand jitter{std::random_device{}()};
  for (unsigned attempt = 1;; ++attempt) {
    try {
      return execute(decide, ctx);
    } catch (const EngineError& e) {
      if (!e.is_version_conflict() || attempt >= max_attempts) throw;
    }
    // Full jitter over an exponentially growing window (50 µs, 100 µs, ... capped at 5 ms) lets
    // racing writers spread out instead of colliding again in lock step.
    const long window = std::min(50L << std::min(attempt, 7u), 5000L);
    std::this_thread::sleep_for(std::chrono::microseconds(std::uniform_int_distribution<long>(0, window)(jitter)));
  }
}

std::unique_ptr<StateBox> ProcessCore::state() {
  std::lock_guard lock(mutex_);
  refresh_locked();
  return runtime_->clone_state(*state_);
}

void ProcessCore::with_state(const std::function<void(const StateBox&, std::uint64_t)>& read) {
  std::lock_guard lock(mutex_);
  refresh_locked();
  read(*state_, version_);
}

std::optional<std::string> ProcessCore::status() {
  std::lock_guard lock(mutex_);
  refresh_locked();
  return runtime_->status(*state_);
}

std::unique_ptr<StateBox> ProcessCore::replay() const {
  auto state = runtime_->initial_state();
  fold_into(*state, 0);
  return state;
}

std::unique_ptr<StateBox> ProcessCore::state_with_snapshot(const SnapshotStore& store) const {
  auto snap = store.load(identity_.stream_id);
  if (!snap || snap->state_schema_version != runtime_->state_schema_version()) return replay();
  auto state = runtime_->state_from_json(snap->state);
  fold_into(*state, snap->sequence_number);
  return state;
}

bool ProcessCore::take_snapshot(SnapshotStore& store, std::uint64_t interval) {
  if (interval == 0) return false;
  std::lock_guard lock(mutex_);
  refresh_locked();
  auto last = store.load(identity_.stream_id);
  std::uint64_t last_seq = last ? last->sequence_number : 0;
  if (version_ < last_seq || version_ - last_seq < interval) return false;
  store.save(
      Snapshot{identity_.stream_id, version_, runtime_->state_schema_version(), runtime_->state_to_json(*state_)});
  return true;
}

std::uint64_t ProcessCore::event_count() const { return services_->events->stream_version(identity_.stream_id); }

}  // namespace mako
