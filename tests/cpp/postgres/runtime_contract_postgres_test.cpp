// The runtime stores contract for the PostgreSQL store: the same cases as in memory and on SQLite,
// a fresh schema per test case.
#include <tuple>

#include "contract/runtime_fixture.hpp"
#include "postgres/pg_test_server.hpp"

struct PgRuntimeFactory {
  static const char* name() { return "postgres"; }
  contract::RuntimeFixture make() {
    auto store = pg_test::fresh_store("runtime");
    return {store, store->runtime_stores()};
  }
};
using RuntimeContractStores = std::tuple<PgRuntimeFactory>;

#include "contract/runtime_stores_contract.hpp"
