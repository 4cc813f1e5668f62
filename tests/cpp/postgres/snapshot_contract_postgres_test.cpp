// The snapshot store contract, run against PostgreSQL: a fresh schema per test case.
#include <tuple>

#include "postgres/pg_test_server.hpp"

struct PgSnapshotFactory {
  static const char* name() { return "postgres"; }
  std::shared_ptr<mako::SnapshotStore> make() { return pg_test::fresh_store("snapshots")->snapshots(); }
};
using SnapshotContractStores = std::tuple<PgSnapshotFactory>;

#include "contract/snapshot_store_contract.hpp"
