// The event store and snapshot store contracts, run against SQLite: a file and ":memory:".
#include <tuple>

#include <mako/core/in_memory_snapshot_store.hpp>
#include <mako/sqlite/sqlite_store.hpp>

#include "sqlite/test_paths.hpp"

struct SqliteFileFactory {
  static const char* name() { return "sqlite-file"; }
  std::shared_ptr<mako::sqlite::SqliteStore> make() {
    return mako::sqlite::SqliteStore::open(sqlite_test::fresh_db("contract"));
  }
};
struct SqliteMemoryFactory {
  static const char* name() { return "sqlite-memory"; }
  std::shared_ptr<mako::sqlite::SqliteStore> make() { return mako::sqlite::SqliteStore::open(":memory:"); }
};
using ContractStores = std::tuple<SqliteFileFactory, SqliteMemoryFactory>;

#include "contract/event_store_contract.hpp"
