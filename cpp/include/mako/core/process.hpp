#pragma once
// The typed handle on one process of a C++ workflow. Cheap to copy; copies share the cached state.
#include <memory>

#include "mako/core/process_core.hpp"
#include "mako/core/typed_workflow.hpp"

namespace mako {

template <Workflow W>
class Process {
 public:
  using Runtime = TypedWorkflowRuntime<W>;
  using State = typename W::State;
  using Command = typename W::Command;

  Process(std::shared_ptr<ProcessCore> core, std::shared_ptr<const Runtime> runtime)
      : core_(std::move(core)), runtime_(std::move(runtime)) {}

  std::vector<EventEnvelope> execute(const Command& command) { return execute_with(command, {}); }
  std::vector<EventEnvelope> execute_with(const Command& command, const CommandContext& context) {
    return core_->execute(decider(command), context);
  }
  std::vector<EventEnvelope> execute_with_retry(const Command& command, unsigned max_attempts) {
    return core_->execute_with_retry(decider(command), {}, max_attempts);
  }
  std::vector<EventEnvelope> execute_with_retry(const Command& command, const CommandContext& context,
                                                unsigned max_attempts) {
    return core_->execute_with_retry(decider(command), context, max_attempts);
  }

  State state() const { return Runtime::state_of(*core_->state()); }
  // The status the workflow gives the current state (W::status), nullopt when W has none.
  std::optional<std::string> status() const { return core_->status(); }
  State replay() const { return Runtime::state_of(*core_->replay()); }
  State state_with_snapshot(const SnapshotStore& store) const {
    return Runtime::state_of(*core_->state_with_snapshot(store));
  }
  bool take_snapshot(SnapshotStore& store, std::uint64_t interval) { return core_->take_snapshot(store, interval); }

  std::uint64_t event_count() const { return core_->event_count(); }
  const ProcessIdentity& identity() const { return core_->identity(); }
  const StreamId& stream_id() const { return identity().stream_id; }
  const ProcessId& process_id() const { return identity().process_id; }
  const TenantId& tenant_id() const { return identity().tenant_id; }
  const WorkflowId& workflow_id() const { return identity().workflow_id; }
  ProcessCore& core() const { return *core_; }

 private:
  ProcessCore::Decider decider(const Command& command) const {
    return [this, &command](const StateBox& state) { return runtime_->decide(Runtime::state_of(state), command); };
  }

  std::shared_ptr<ProcessCore> core_;
  std::shared_ptr<const Runtime> runtime_;
};

}  // namespace mako
