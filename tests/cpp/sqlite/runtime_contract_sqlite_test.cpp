// The runtime stores contract for the SQLite store (file and ":memory:"): the same cases as in memory.
#include <tuple>

#include <mako/sqlite/sqlite_store.hpp>

#include "contract/runtime_fixture.hpp"
#include "sqlite/test_paths.hpp"

struct SqliteFileRuntimeFactory {
  static const char* name() { return "sqlite-file"; }
  contract::RuntimeFixture make() {
    auto store = mako::sqlite::SqliteStore::open(sqlite_test::fresh_db("runtime"));
    return {store, store->runtime_stores()};
  }
};
struct SqliteMemoryRuntimeFactory {
  static const char* name() { return "sqlite-memory"; }
  contract::RuntimeFixture make() {
    auto store = mako::sqlite::SqliteStore::open(":memory:");
    return {store, store->runtime_stores()};
  }
};
using RuntimeContractStores = std::tuple<SqliteFileRuntimeFactory, SqliteMemoryRuntimeFactory>;

#include "contract/runtime_stores_contract.hpp"
