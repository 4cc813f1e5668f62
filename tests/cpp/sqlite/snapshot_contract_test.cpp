// The snapshot store contract for the in-memory store and the SQLite store (file and ":memory:").
#include <tuple>

#include <mako/core/in_memory_snapshot_store.hpp>
#include <mako/sqlite/sqlite_store.hpp>

#include "sqlite/test_paths.hpp"

struct InMemorySnapshotFactory {
  static const char* name() { return "in-memory"; }
  std::shared_ptr<mako::SnapshotStore> make() { return std::make_shared<mako::InMemorySnapshotStore>(); }
};
struct SqliteFileSnapshotFactory {
  static const char* name() { return "sqlite-file"; }
  std::shared_ptr<mako::SnapshotStore> make() {
    return mako::sqlite::SqliteStore::open(sqlite_test::fresh_db("snapshots"))->snapshots();
  }
};
struct SqliteMemorySnapshotFactory {
  static const char* name() { return "sqlite-memory"; }
  std::shared_ptr<mako::SnapshotStore> make() { return mako::sqlite::SqliteStore::open(":memory:")->snapshots(); }
};
using SnapshotContractStores =
    std::tuple<InMemorySnapshotFactory, SqliteFileSnapshotFactory, SqliteMemorySnapshotFactory>;

#include "contract/snapshot_store_contract.hpp"
