#pragma once
// Snapshots in the same PostgreSQL schema as the events (table `snapshots`, one row per stream).
#include <memory>

#include "mako/core/snapshot_store.hpp"

namespace mako::postgres {

namespace detail {
class Database;
}

class PgSnapshotStore final : public mako::SnapshotStore {
 public:
  explicit PgSnapshotStore(std::shared_ptr<detail::Database> db);  // get one from PgStore::snapshots()
  ~PgSnapshotStore() override;

  void save(const Snapshot& snapshot) override;
  std::optional<Snapshot> load(const StreamId& stream) const override;
  void remove(const StreamId& stream) override;

 private:
  std::shared_ptr<detail::Database> db_;
};

}  // namespace mako::postgres
