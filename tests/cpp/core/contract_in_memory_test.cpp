#include <tuple>

#include <mako/core/in_memory_event_store.hpp>

struct InMemoryStoreFactory {
  static const char* name() { return "in-memory"; }
  std::shared_ptr<mako::EventStore> make() { return std::make_shared<mako::InMemoryEventStore>(); }
};
using ContractStores = std::tuple<InMemoryStoreFactory>;

#include "contract/event_store_contract.hpp"

// The in-memory log keeps events in chunks of growing size; reads must cross their boundaries.
TEST_CASE("in-memory: events stay in order and intact across the log's chunks", "[store]") {
  mako::InMemoryEventStore store;
  const int total = 20000;  // past the growing chunks (8160 events) and two fixed ones
  for (int i = 0; i < total; i += 4) {
    auto b = contract::batch(i % 8 == 0 ? "s/even" : "s/odd", mako::ExpectedVersion::any(), 4);
    store.append(b);
  }
  CHECK(store.head_position() == static_cast<std::uint64_t>(total));
  for (std::uint64_t after : {0u, 31u, 32u, 95u, 96u, 8159u, 8160u, 16351u, 19990u}) {
    const auto page = store.read_all(after, 3);
    REQUIRE(page.size() == std::min<std::size_t>(3, total - after));
    for (std::size_t k = 0; k < page.size(); ++k) {
      CHECK(page[k].global_position == after + k + 1);
      CHECK(page[k].payload.json()["data"]["i"] == static_cast<int>((after + k) % 4));
    }
  }
  std::uint64_t seen = 0, last_position = 0;
  store.fold_stream(mako::StreamId("s/odd"), 0, [&](const mako::EventEnvelope& e) {
    CHECK(e.sequence_number == ++seen);
    CHECK(e.global_position > last_position);
    last_position = e.global_position;
  });
  CHECK(seen == total / 2);
  CHECK(store.load_from(mako::StreamId("s/even"), 9998).size() == 2);
}

TEST_CASE("in-memory: many streams stay findable as the stream table grows", "[store]") {
  mako::InMemoryEventStore store;
  const int streams = 3000;
  for (int i = 0; i < streams; ++i) {
    auto b = contract::batch("p/" + std::to_string(i), mako::ExpectedVersion::no_stream(), 1 + i % 3);
    store.append(b);
  }
  int wrong = 0;
  for (int i = 0; i < streams; ++i)
    if (store.stream_version(mako::StreamId("p/" + std::to_string(i))) != static_cast<std::uint64_t>(1 + i % 3))
      ++wrong;
  CHECK(wrong == 0);
  CHECK(store.stream_version(mako::StreamId("p/absent")) == 0);
  CHECK(store.list_streams("p/", std::nullopt, 10000).streams.size() == static_cast<std::size_t>(streams));
  auto again = contract::batch("p/7", mako::ExpectedVersion::no_stream(), 1);
  CHECK_THROWS_AS(store.append(again), mako::EngineError);
}
