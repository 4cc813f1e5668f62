#include "mako/core/in_memory_snapshot_store.hpp"

namespace mako {

void InMemorySnapshotStore::save(const Snapshot& snapshot) {
  std::lock_guard lock(mutex_);
  snapshots_.insert_or_assign(snapshot.stream_id.str(), snapshot);
}

std::optional<Snapshot> InMemorySnapshotStore::load(const StreamId& stream) const {
  std::lock_guard lock(mutex_);
  auto it = snapshots_.find(stream.str());
  if (it == snapshots_.end()) return std::nullopt;
  return it->second;
}

void InMemorySnapshotStore::remove(const StreamId& stream) {
  std::lock_guard lock(mutex_);
  snapshots_.erase(stream.str());
}

}  // namespace mako
