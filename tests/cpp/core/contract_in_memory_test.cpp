#include <tuple>

#include <mako/core/in_memory_event_store.hpp>

struct InMemoryStoreFactory {
  static const char* name() { return "in-memory"; }
  std::shared_ptr<mako::EventStore> make() { return std::make_shared<mako::InMemoryEventStore>(); }
};
using ContractStores = std::tuple<InMemoryStoreFactory>;

#include "contract/event_store_contract.hpp"
