// The runtime stores contract for the stores InMemoryEventStore feeds.
#include <tuple>

#include <mako/core/in_memory_event_store.hpp>

#include "contract/runtime_fixture.hpp"

struct InMemoryRuntimeFactory {
  static const char* name() { return "in-memory"; }
  contract::RuntimeFixture make() {
    auto store = std::make_shared<mako::InMemoryEventStore>();
    return {store, store->runtime_stores()};
  }
};
using RuntimeContractStores = std::tuple<InMemoryRuntimeFactory>;

#include "contract/runtime_stores_contract.hpp"
