// The event store contract, run against PostgreSQL: a fresh schema per test case.
#include <tuple>

#include "postgres/pg_test_server.hpp"

struct PgStoreFactory {
  static const char* name() { return "postgres"; }
  std::shared_ptr<mako::postgres::PgStore> make() { return pg_test::fresh_store("contract"); }
};
using ContractStores = std::tuple<PgStoreFactory>;

#include "contract/event_store_contract.hpp"
