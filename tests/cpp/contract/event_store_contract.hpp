#pragma once
// The event store contract: the same test cases for every store. A suite defines
// `using ContractStores = std::tuple<Factory...>;` (each Factory has `static const char* name()`
// and `std::shared_ptr<mako::EventStore> make()`) and includes this header once.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <set>
#include <thread>

#include <mako/core/errors.hpp>
#include <mako/core/event_store.hpp>

namespace contract {

inline mako::EventEnvelope make_event(const std::string& type, mako::Json data = mako::Json::object()) {
  mako::EventEnvelope e;
  e.event_type = type;
  e.payload = mako::Json{{"type", type}, {"data", std::move(data)}};
  e.timestamp = mako::parse_rfc3339("2025-06-06T10:00:00.5Z");
  e.correlation_id = mako::CorrelationId::from_interchange_ref("A000123");
  return e;
}

inline mako::CommitBatch batch(const std::string& stream, mako::ExpectedVersion expected, int count,
                               const std::string& type = "Happened") {
  mako::CommitBatch b{mako::StreamId(stream), expected, {}, {}, {}};
  for (int i = 0; i < count; ++i) b.events.push_back(make_event(type, mako::Json{{"i", i}}));
  return b;
}

}  // namespace contract

TEMPLATE_LIST_TEST_CASE("contract: NoStream, Exact and Any expected versions", "[contract]", ContractStores) {
  TestType factory;
  auto store = factory.make();
  auto b1 = contract::batch("s/1", mako::ExpectedVersion::no_stream(), 2);
  CHECK(store->append(b1) == 2);
  CHECK(b1.events[0].sequence_number == 1);
  CHECK(b1.events[1].sequence_number == 2);

  auto again = contract::batch("s/1", mako::ExpectedVersion::no_stream(), 1);
  try {
    store->append(again);
    FAIL("NoStream on an existing stream must conflict");
  } catch (const mako::EngineError& e) {
    CHECK(e.is_version_conflict());
    CHECK(e.is_transient());
    CHECK(e.actual_version() == 2);
    CHECK(e.expected_version() == "NoStream");
  }
  auto wrong = contract::batch("s/1", mako::ExpectedVersion::exact(1), 1);
  CHECK_THROWS_MATCHES(
      store->append(wrong), mako::EngineError,
      Catch::Matchers::Predicate<mako::EngineError>([](const auto& e) { return e.is_version_conflict(); }));
  CHECK(store->stream_version(mako::StreamId("s/1")) == 2);  // nothing written by the failed appends

  auto exact = contract::batch("s/1", mako::ExpectedVersion::exact(2), 1);
  CHECK(store->append(exact) == 3);
  auto any = contract::batch("s/1", mako::ExpectedVersion::any(), 2);
  CHECK(store->append(any) == 5);
  CHECK(any.events[1].sequence_number == 5);

  auto fresh = contract::batch("s/2", mako::ExpectedVersion::exact(0), 1);
  CHECK(store->append(fresh) == 1);
  CHECK(store->stream_version(mako::StreamId("s/unknown")) == 0);
}

TEMPLATE_LIST_TEST_CASE("contract: load, load_from (exclusive) and fold_stream", "[contract]", ContractStores) {
  TestType factory;
  auto store = factory.make();
  auto b = contract::batch("s/load", mako::ExpectedVersion::no_stream(), 5);
  store->append(b);
  auto all = store->load(mako::StreamId("s/load"));
  REQUIRE(all.size() == 5);
  for (std::size_t i = 0; i < all.size(); ++i) {
    CHECK(all[i].sequence_number == i + 1);
    CHECK(all[i].payload.json()["data"]["i"] == static_cast<int>(i));
  }
  auto tail = store->load_from(mako::StreamId("s/load"), 3);
  REQUIRE(tail.size() == 2);
  CHECK(tail[0].sequence_number == 4);
  CHECK(store->load_from(mako::StreamId("s/load"), 5).empty());
  CHECK(store->load(mako::StreamId("s/none")).empty());

  std::vector<std::uint64_t> seen;
  auto n = store->fold_stream(mako::StreamId("s/load"), 1,
                              [&](const mako::EventEnvelope& e) { seen.push_back(e.sequence_number); });
  CHECK(n == 4);
  CHECK(seen == std::vector<std::uint64_t>{2, 3, 4, 5});
}

TEMPLATE_LIST_TEST_CASE("contract: stored envelopes keep every field", "[contract]", ContractStores) {
  TestType factory;
  auto store = factory.make();
  auto b = contract::batch("process/x/y", mako::ExpectedVersion::any(), 1, "Registered");
  b.events[0].causation_id.reset();
  b.events[0].schema_version = 3;
  b.events[0].payload = mako::Json::parse(R"({"type":"Registered","data":{"z":1,"a":[1,2,{"k":"ä€"}]}})");
  store->append(b);
  auto loaded = store->load(mako::StreamId("process/x/y"));
  REQUIRE(loaded.size() == 1);
  CHECK(loaded[0].to_json_string() == b.events[0].to_json_string());
  CHECK(loaded[0].global_position == b.events[0].global_position);
  CHECK(loaded[0].global_position >= 1);
}

// Readers may reuse one envelope from row to row: nothing of a row may leak into the next.
TEMPLATE_LIST_TEST_CASE("contract: consecutive events read back with their own fields, however they differ",
                        "[contract]", ContractStores) {
  TestType factory;
  auto store = factory.make();
  std::vector<mako::EventEnvelope> written;
  for (int i = 0; i < 6; ++i) {
    auto b = contract::batch(i % 2 ? "process/r/odd" : "process/r/even", mako::ExpectedVersion::any(), 1,
                             i % 3 ? "Activated" : "Registered");
    auto& e = b.events[0];
    if (i % 2) e.causation_id = mako::CausationId::generate();
    if (i == 3) e.correlation_id.reset();
    e.workflow_id = mako::WorkflowId(i % 2 ? "lifecycle" : "counter", i < 4 ? "FV2025-10-01" : "FV2026-04-01");
    e.schema_version = static_cast<std::uint32_t>(i + 1);
    e.timestamp = mako::Timestamp(std::chrono::nanoseconds(i % 2 ? -1'000'000'007 : 1'700'000'000'000'000'123));
    e.payload = i % 2 ? mako::Json{{"type", "x"}, {"data", {{"n", -i}, {"list", {1, "two", nullptr}}}}}
                      : mako::Json::array({i, 2.5, true});
    store->append(b);
    written.push_back(e);
  }
  const auto all = store->read_all(written.front().global_position - 1, 100);
  REQUIRE(all.size() == written.size());
  for (std::size_t i = 0; i < written.size(); ++i) CHECK(all[i].to_json_string() == written[i].to_json_string());
  std::vector<std::string> odd;
  store->fold_stream(mako::StreamId("process/r/odd"), 0,
                     [&](const mako::EventEnvelope& e) { odd.push_back(e.to_json_string()); });
  REQUIRE(odd.size() == 3);
  for (std::size_t i = 0; i < odd.size(); ++i) CHECK(odd[i] == written[2 * i + 1].to_json_string());
}

TEMPLATE_LIST_TEST_CASE("contract: list_streams with prefix and pagination", "[contract]", ContractStores) {
  TestType factory;
  auto store = factory.make();
  for (auto name : {"process/a/3", "process/a/1", "process/b/1", "other/1", "process/a/2", "process/a/4"}) {
    auto b = contract::batch(name, mako::ExpectedVersion::any(), 1);
    store->append(b);
  }
  auto page1 = store->list_streams("process/a/", std::nullopt, 3);
  REQUIRE(page1.streams.size() == 3);
  CHECK(page1.streams[0].str() == "process/a/1");
  CHECK(page1.streams[2].str() == "process/a/3");
  REQUIRE(page1.next_cursor);
  auto page2 = store->list_streams("process/a/", page1.next_cursor, 3);
  REQUIRE(page2.streams.size() == 1);
  CHECK(page2.streams[0].str() == "process/a/4");
  CHECK_FALSE(page2.next_cursor);
  CHECK(store->list_streams("", std::nullopt, 100).streams.size() == 6);
  CHECK(store->list_streams("nothing", std::nullopt, 100).streams.empty());
  // Streams created after a listing appear in order in the next one; appending to a listed stream
  // does not list it twice.
  for (auto name : {"process/a/0", "process/a/5", "process/a/1"}) {
    auto b = contract::batch(name, mako::ExpectedVersion::any(), 1);
    store->append(b);
  }
  auto all_a = store->list_streams("process/a/", std::nullopt, 100);
  REQUIRE(all_a.streams.size() == 6);
  for (std::size_t i = 0; i < 6; ++i) CHECK(all_a.streams[i].str() == "process/a/" + std::to_string(i));
}

TEMPLATE_LIST_TEST_CASE("contract: read_all in commit order across streams", "[contract]", ContractStores) {
  TestType factory;
  auto store = factory.make();
  auto a = contract::batch("s/a", mako::ExpectedVersion::any(), 2);
  auto b = contract::batch("s/b", mako::ExpectedVersion::any(), 1);
  auto c = contract::batch("s/a", mako::ExpectedVersion::any(), 1);
  store->append(a);
  store->append(b);
  store->append(c);
  CHECK(store->head_position() == 4);
  auto all = store->read_all(0, 100);
  REQUIRE(all.size() == 4);
  std::vector<std::string> order;
  for (auto& e : all) order.push_back(e.stream_id.str() + "#" + std::to_string(e.sequence_number));
  CHECK(order == std::vector<std::string>{"s/a#1", "s/a#2", "s/b#1", "s/a#3"});
  for (std::size_t i = 1; i < all.size(); ++i) CHECK(all[i].global_position > all[i - 1].global_position);
  auto after = store->read_all(all[1].global_position, 1);
  REQUIRE(after.size() == 1);
  CHECK(after[0].stream_id.str() == "s/b");
  CHECK(store->read_all(all[3].global_position, 10).empty());
}

TEMPLATE_LIST_TEST_CASE("contract: 8 threads racing on one stream give contiguous sequences", "[contract][concurrency]",
                        ContractStores) {
  TestType factory;
  auto store = factory.make();
  const mako::StreamId stream("s/race");
  std::atomic<int> written{0}, conflicts{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        auto version = store->stream_version(stream);
        auto b = contract::batch(stream.str(), mako::ExpectedVersion::exact(version), 1 + (i % 2));
        b.events[0].payload.mutable_json()["data"]["writer"] = t * 1000 + i;
        try {
          store->append(b);
          written += static_cast<int>(b.events.size());
        } catch (const mako::EngineError& e) {
          REQUIRE(e.is_version_conflict());
          ++conflicts;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  auto events = store->load(stream);
  CHECK(static_cast<int>(events.size()) == written.load());
  for (std::size_t i = 0; i < events.size(); ++i) REQUIRE(events[i].sequence_number == i + 1);
  std::set<std::string> ids;
  for (auto& e : events) ids.insert(e.event_id.to_string());
  CHECK(ids.size() == events.size());
  CHECK(written.load() > 0);
  INFO("conflicts: " << conflicts.load());
  CHECK(conflicts.load() + written.load() >= 8 * 50);
}

TEMPLATE_LIST_TEST_CASE("contract: append_many keeps per-batch atomicity", "[contract]", ContractStores) {
  TestType factory;
  auto store = factory.make();
  auto seed = contract::batch("s/m2", mako::ExpectedVersion::any(), 1);
  store->append(seed);
  std::vector<mako::CommitBatch> batches;
  batches.push_back(contract::batch("s/m1", mako::ExpectedVersion::no_stream(), 2));
  batches.push_back(contract::batch("s/m2", mako::ExpectedVersion::no_stream(), 3));  // conflicts
  batches.push_back(contract::batch("s/m3", mako::ExpectedVersion::exact(0), 1));
  batches.push_back(contract::batch("s/m1", mako::ExpectedVersion::exact(2), 1));  // sees batch 0
  auto results = store->append_many(batches);
  REQUIRE(results.size() == 4);
  CHECK_FALSE(results[0]);
  REQUIRE(results[1]);
  CHECK(results[1]->is_version_conflict());
  CHECK_FALSE(results[2]);
  CHECK_FALSE(results[3]);
  CHECK(store->stream_version(mako::StreamId("s/m1")) == 3);
  CHECK(store->stream_version(mako::StreamId("s/m2")) == 1);  // the failed batch left nothing
  CHECK(store->stream_version(mako::StreamId("s/m3")) == 1);
  CHECK(batches[3].events[0].sequence_number == 3);
}

TEMPLATE_LIST_TEST_CASE("contract: an event with an empty type is refused and nothing of its batch is written",
                        "[contract]", ContractStores) {
  TestType factory;
  auto store = factory.make();
  auto b = contract::batch("s/typeless", mako::ExpectedVersion::any(), 2);
  b.events[1].event_type.clear();
  try {
    store->append(b);
    FAIL("an event without a type must be refused");
  } catch (const mako::EngineError& e) {
    CHECK(e.is_invalid_input());
    CHECK_THAT(e.what(), Catch::Matchers::Contains("event 2") && Catch::Matchers::Contains("empty event type"));
  }
  CHECK(store->stream_version(mako::StreamId("s/typeless")) == 0);
  CHECK(store->head_position() == 0);
}
