#pragma once
// Snapshots in process memory, one per stream (the latest saved).
#include <map>
#include <mutex>

#include "mako/core/snapshot_store.hpp"

namespace mako {

class InMemorySnapshotStore final : public SnapshotStore {
 public:
  void save(const Snapshot& snapshot) override;
  std::optional<Snapshot> load(const StreamId& stream) const override;
  void remove(const StreamId& stream) override;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, Snapshot> snapshots_;
};

}  // namespace mako
