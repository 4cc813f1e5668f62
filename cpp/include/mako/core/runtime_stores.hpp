#pragma once
// The stores of the runtime services next to the event store: outbox, deadlines, process registry,
// inbox dedup, dead letters and projection checkpoints. A store that writes commits (the in-memory
// and the SQLite event store) provides the ones its commits feed, so messages, deadlines and
// registry entries of a commit are visible to the services the moment the commit is.
#include <memory>

#include "mako/core/checkpoint_store.hpp"
#include "mako/core/dead_letter_sink.hpp"
#include "mako/core/deadline_store.hpp"
#include "mako/core/inbox_store.hpp"
#include "mako/core/outbox_store.hpp"
#include "mako/core/process_registry.hpp"

namespace mako {

// Each member is optional (null when not configured).
struct RuntimeStores {
  std::shared_ptr<OutboxStore> outbox;
  std::shared_ptr<DeadlineStore> deadlines;
  std::shared_ptr<ProcessRegistry> registry;
  std::shared_ptr<InboxStore> inbox;
  std::shared_ptr<DeadLetterSink> dead_letters;
  std::shared_ptr<CheckpointStore> checkpoints;

  // Fills the members that are null from `other`.
  void fill_missing_from(const RuntimeStores& other);
};

// Implemented by event stores that persist the runtime stores alongside their events.
class RuntimeStoresProvider {
 public:
  virtual ~RuntimeStoresProvider() = default;
  virtual RuntimeStores runtime_stores() = 0;
};

}  // namespace mako
