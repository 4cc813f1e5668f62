#pragma once
// The snapshot store contract: the same test cases for every snapshot store. A suite defines
// `using SnapshotContractStores = std::tuple<Factory...>;` (each Factory has `static const char* name()`
// and `std::shared_ptr<mako::SnapshotStore> make()`) and includes this header once.
#include <catch2/catch.hpp>

#include <thread>

#include <mako/core/snapshot_store.hpp>

TEMPLATE_LIST_TEST_CASE("snapshot contract: save, load, replace and remove one snapshot per stream",
                        "[contract][snapshot]", SnapshotContractStores) {
  TestType factory;
  auto store = factory.make();
  const mako::StreamId a("process/a"), b("process/b");
  CHECK_FALSE(store->load(a));
  store->save(mako::Snapshot{a, 3, 1, mako::Json::parse(R"({"z":1,"a":[1,"ä€",{"k":null}]})")});
  auto loaded = store->load(a);
  REQUIRE(loaded);
  CHECK(loaded->stream_id == a);
  CHECK(loaded->sequence_number == 3);
  CHECK(loaded->state_schema_version == 1);
  CHECK(loaded->state.dump() == R"({"z":1,"a":[1,"ä€",{"k":null}]})");  // key order kept
  CHECK_FALSE(store->load(b));

  store->save(mako::Snapshot{a, 7, 2, mako::Json{{"v", 7}}});  // replaces, never accumulates
  CHECK(store->load(a)->sequence_number == 7);
  CHECK(store->load(a)->state_schema_version == 2);
  CHECK(store->load(a)->state.dump() == R"({"v":7})");

  store->save(mako::Snapshot{b, 1, 1, mako::Json::array()});
  store->remove(a);
  CHECK_FALSE(store->load(a));
  CHECK(store->load(b));
  store->remove(a);  // removing what is not there is fine
}

TEMPLATE_LIST_TEST_CASE("snapshot contract: concurrent saves and loads see whole snapshots",
                        "[contract][snapshot][concurrency]", SnapshotContractStores) {
  TestType factory;
  auto store = factory.make();
  const mako::StreamId s("process/concurrent");
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        store->save(mako::Snapshot{s, static_cast<std::uint64_t>(i), 1, mako::Json{{"seq", i}, {"writer", t}}});
        auto got = store->load(s);
        REQUIRE(got);
        REQUIRE(got->state["seq"].template get<std::uint64_t>() == got->sequence_number);
      }
    });
  for (auto& th : threads) th.join();
  CHECK(store->load(s));
}
