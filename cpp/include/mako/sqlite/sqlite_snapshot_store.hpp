#pragma once
// Snapshots in the same SQLite file as the events (table `snapshots`, one row per stream).
#include <memory>

#include "mako/core/snapshot_store.hpp"

namespace mako::sqlite {

namespace detail {
class Database;
}

class SqliteSnapshotStore final : public mako::SnapshotStore {
 public:
  explicit SqliteSnapshotStore(std::shared_ptr<detail::Database> db);  // get one from SqliteStore::snapshots()
  ~SqliteSnapshotStore() override;

  void save(const Snapshot& snapshot) override;
  std::optional<Snapshot> load(const StreamId& stream) const override;
  void remove(const StreamId& stream) override;

 private:
  std::shared_ptr<detail::Database> db_;
};

}  // namespace mako::sqlite
