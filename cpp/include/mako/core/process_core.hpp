#pragma once
// The process machinery, written once for every workflow language: load, fold (with snapshot and
// upcast), handle, stamp, append with optimistic concurrency, retry, snapshot.
//
// It keeps the folded state of the process and the version it reflects. Every command first folds
// the events appended since (usually none), then appends with Exact(version): if another writer got
// there first the append fails as a version conflict and the next attempt folds the new events. So
// execute costs O(new events), not O(stream length), and no decision is ever taken on stale state.
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "mako/core/command_context.hpp"
#include "mako/core/event_store.hpp"
#include "mako/core/process_cache.hpp"
#include "mako/core/process_identity.hpp"
#include "mako/core/runtime_stores.hpp"
#include "mako/core/snapshot_store.hpp"
#include "mako/core/timestamp.hpp"
#include "mako/core/workflow_runtime.hpp"

namespace mako {

// The shared infrastructure of an engine: the stores and the clock.
struct EngineServices {
  std::shared_ptr<EventStore> events;
  std::shared_ptr<SnapshotStore> snapshots;  // optional; when set, a cold process starts from it
  Clock clock = system_now;
  RuntimeStores runtime;                        // outbox, deadlines, registry, ...; each optional
  std::shared_ptr<ProcessCache> process_cache;  // optional (process_cache.hpp)
};

class ProcessCore {
 public:
  // Given the folded state, returns what the command produces; throws WorkflowError to refuse.
  using Decider = std::function<ErasedOutput(const StateBox&)>;

  ProcessCore(std::shared_ptr<const EngineServices> services, std::shared_ptr<const WorkflowRuntime> runtime,
              ProcessIdentity identity);
  // A new process of `tenant` under a fresh random id: its identity is consistent by construction,
  // and it starts from the initial state as after assume_new_stream().
  static std::shared_ptr<ProcessCore> spawn(std::shared_ptr<const EngineServices> services,
                                            std::shared_ptr<const WorkflowRuntime> runtime, const TenantId& tenant,
                                            WorkflowId workflow_id);

  std::vector<EventEnvelope> execute(const Decider& decide, const CommandContext& context = {});
  // Retries version conflicts only, up to max_attempts in total, with a short jittered pause and the
  // same correlation id on every attempt.
  std::vector<EventEnvelope> execute_with_retry(const Decider& decide, const CommandContext& context,
                                                unsigned max_attempts);

  // The current state (the cached fold brought up to date). Returns a copy owned by the caller.
  std::unique_ptr<StateBox> state();
  // Calls `read` with the up-to-date state without copying it (the process lock is held).
  void with_state(const std::function<void(const StateBox&, std::uint64_t version)>& read);
  // The workflow's status of the up-to-date state (WorkflowRuntime::status); nullopt when the
  // workflow defines none.
  std::optional<std::string> status();
  // A full replay from the first event, ignoring cache and snapshots.
  std::unique_ptr<StateBox> replay() const;
  // Starts from the stream's snapshot in `store` when its state schema version matches the
  // workflow's, else from scratch, then folds the remaining events.
  std::unique_ptr<StateBox> state_with_snapshot(const SnapshotStore& store) const;
  // Saves a snapshot when interval > 0 and (events folded - last snapshot's sequence) >= interval.
  // State and sequence come from the same fold. Returns whether it saved.
  bool take_snapshot(SnapshotStore& store, std::uint64_t interval);

  std::uint64_t event_count() const;
  const ProcessIdentity& identity() const { return identity_; }
  const WorkflowRuntime& runtime() const { return *runtime_; }
  const std::shared_ptr<const WorkflowRuntime>& runtime_ptr() const { return runtime_; }
  // Drops the cached state; the next call folds from the snapshot store or the first event.
  void invalidate();
  // For a process that was just spawned under a fresh random id: nobody else can have written to
  // its stream, so the first command starts from the initial state without reading the store. (If
  // the identity leaked anyway, the Exact(0) append turns that into a version conflict.)
  void assume_new_stream();

 private:
  struct SpawnKey {
    explicit SpawnKey() = default;
  };

 public:
  ProcessCore(SpawnKey, std::shared_ptr<const EngineServices> services, std::shared_ptr<const WorkflowRuntime> runtime,
              ProcessIdentity identity);  // for spawn() only (the key is private)

 private:
  void refresh_locked(bool before_append = false);
  std::uint64_t fold_into(StateBox& state, std::uint64_t after) const;
  std::vector<EventEnvelope> execute_locked(const Decider& decide, const CommandContext& context);

  std::shared_ptr<const EngineServices> services_;
  std::shared_ptr<const WorkflowRuntime> runtime_;
  ProcessIdentity identity_;
  ConversationId conversation_;
  mutable std::mutex mutex_;
  std::unique_ptr<StateBox> state_;
  std::uint64_t version_ = 0;
  bool skip_next_fold_ = false;
};

}  // namespace mako
