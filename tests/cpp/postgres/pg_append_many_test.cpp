// append_many of batches carrying events only: written in one pass for the whole call (one read of
// all its streams, one INSERT of the new ones, one UPDATE of the others, multi-row INSERTs of all
// events), with the same results as batch after batch (its reference: one append per batch).
#include <catch2/catch.hpp>

#include <map>

#include "contract/runtime_fixture.hpp"
#include "postgres/pg_test_server.hpp"

using namespace mako;
using mako::postgres::PgStore;

TEST_CASE(
    "postgres: append_many in one pass: new and existing streams, ids that need quoting, refusals in their slots, "
    "more events than one INSERT takes",
    "[postgres][append_many]") {
  const auto schema = pg_test::fresh_schema("many");
  auto store = PgStore::open(pg_test::conninfo(), pg_test::options(schema));
  const TenantId tenant = TenantId::from_party_id("9900000000004");
  auto seed = pg_test::batch("s/old", ExpectedVersion::no_stream(), 2);
  store->append(seed);
  // A stream that so far carried only a message: its row has no identity until its first event.
  const auto p = contract::new_process(tenant);
  CommitBatch message_only{p.stream_id, ExpectedVersion::any(), {}, {contract::message("m-1")}, {}, {}};
  store->append(message_only);

  // Array literals quote these: a comma, quotes, braces, a backslash, a space, NULL as a word.
  const std::vector<std::string> ids{"s/old", "s/a,b", "s/\"quoted\"", "s/{brace}", "s/back\\slash", "s/NULL x"};
  std::vector<CommitBatch> batches;
  std::map<std::string, std::uint64_t> expected_versions{{"s/old", 2}};
  for (int i = 0; i < 1200; ++i) {  // 1,200 events: more than one INSERT of 1,000 rows
    const auto& id = ids[static_cast<std::size_t>(i) % ids.size()];
    auto& b = batches.emplace_back(pg_test::batch(id, ExpectedVersion::exact(expected_versions[id]), 1));
    b.events[0].payload = Json{{"type", "Happened"}, {"data", {{"n", i}, {"text", "a \"quote\", a \\ and {}"}}}};
    ++expected_versions[id];
  }
  batches.push_back(contract::process_commit(p, contract::at("2026-03-02T08:00:00Z")));
  batches.push_back(pg_test::batch("s/a,b", ExpectedVersion::exact(1), 1));  // conflicts: the call moved it on
  auto typeless = pg_test::batch("s/old", ExpectedVersion::any(), 2);
  typeless.events[1].event_type.clear();
  batches.push_back(typeless);
  batches.push_back(pg_test::batch("s/never", ExpectedVersion::exact(3), 1));  // conflicts: no such stream
  batches.push_back(pg_test::batch("s/old", ExpectedVersion::exact(expected_versions["s/old"]), 3));
  expected_versions["s/old"] += 3;
  batches.push_back(pg_test::batch("s/old", ExpectedVersion::exact(expected_versions["s/old"]), 0));  // checks only

  const auto results = store->append_many(batches);
  REQUIRE(results.size() == batches.size());
  for (std::size_t i = 0; i < 1201; ++i) {
    INFO("batch " << i << ": " << (results[i] ? results[i]->what() : ""));
    CHECK_FALSE(results[i]);
  }
  REQUIRE(results[1201]);
  CHECK(results[1201]->is_version_conflict());
  REQUIRE(results[1202]);
  CHECK(results[1202]->is_invalid_input());
  REQUIRE(results[1203]);
  CHECK(results[1203]->is_version_conflict());
  CHECK_FALSE(results[1204]);
  CHECK_FALSE(results[1205]);

  for (const auto& [id, version] : expected_versions) {
    INFO(id);
    CHECK(store->stream_version(StreamId(id)) == version);
  }
  CHECK(store->stream_version(p.stream_id) == 1);
  CHECK(store->stream_version(StreamId("s/never")) == 0);
  // The message-only stream took its first event's identity.
  CHECK(pg_test::Peek().exec("SELECT process_id FROM " + schema + ".streams WHERE stream_id = '" + p.stream_id.str() +
                             "'") == p.process_id.uuid().to_string());

  // Positions dense after the seed's two, in the order of the batches; what each batch was told
  // is what the log holds.
  const std::uint64_t total = 2 + 1200 + 1 + 3;
  CHECK(store->head_position() == total);
  const auto log = store->read_all(0, 2000);
  REQUIRE(log.size() == total);
  for (std::size_t i = 0; i < log.size(); ++i) CHECK(log[i].global_position == i + 1);
  std::uint64_t position = 3;
  for (std::size_t i = 0; i < batches.size(); ++i) {
    if (results[i]) continue;
    for (const auto& e : batches[i].events) {
      INFO("batch " << i);
      REQUIRE(e.global_position == position);
      const auto& stored = log[position - 1];
      CHECK(stored.stream_id == batches[i].stream_id);
      CHECK(stored.sequence_number == e.sequence_number);
      CHECK(stored.event_id == e.event_id);
      CHECK(stored.payload.json() == e.payload.json());
      ++position;
    }
  }
  CHECK(batches[1].events[0].sequence_number == 1);  // "s/a,b" new
  CHECK(batches[0].events[0].sequence_number == 3);  // "s/old" after the seed
}

TEST_CASE("postgres: an event schema version beyond PostgreSQL's integer is refused before anything is written",
          "[postgres][append_many]") {
  auto store = pg_test::fresh_store("bigschema");
  auto b = pg_test::batch("s/big", ExpectedVersion::no_stream(), 2);
  b.events[1].schema_version = 3000000000u;
  try {
    store->append(b);
    FAIL("the batch must be refused");
  } catch (const EngineError& e) {
    CHECK(e.is_invalid_input());
    CHECK_THAT(e.what(), Catch::Contains("event 2") && Catch::Contains("schema version 3000000000") &&
                             Catch::Contains("nothing was written"));
  }
  std::vector<CommitBatch> batches{b, pg_test::batch("s/fine", ExpectedVersion::no_stream(), 1)};
  const auto results = store->append_many(batches);
  REQUIRE(results[0]);
  CHECK(results[0]->is_invalid_input());
  CHECK_FALSE(results[1]);
  CHECK(store->stream_version(StreamId("s/big")) == 0);
  CHECK(store->head_position() == 1);
}

TEST_CASE("postgres: append_many in one pass writes what one append per batch writes (its reference)",
          "[postgres][append_many]") {
  const auto one_pass_schema = pg_test::fresh_schema("onepass");
  const auto reference_schema = pg_test::fresh_schema("reference");
  auto one_pass = PgStore::open(pg_test::conninfo(), pg_test::options(one_pass_schema));
  auto reference = PgStore::open(pg_test::conninfo(), pg_test::options(reference_schema));
  const TenantId tenant = TenantId::from_party_id("9900000000005");
  const auto p = contract::new_process(tenant);
  const auto seed = pg_test::batch("s/seeded", ExpectedVersion::no_stream(), 3);
  for (auto* store : {one_pass.get(), reference.get()}) {
    auto same_seed = seed;
    store->append(same_seed);
    CommitBatch message_only{p.stream_id, ExpectedVersion::any(), {}, {contract::message("m-eq")}, {}, {}};
    store->append(message_only);
  }
  // Streams new and old, chained versions, conflicts, an invalid event, checks without events.
  std::vector<CommitBatch> batches;
  const std::vector<std::string> ids{"s/seeded", "s/new-1", "s/new,2", "s/\"3\""};
  for (int i = 0; i < 60; ++i) {
    const auto& id = ids[static_cast<std::size_t>(i) % ids.size()];
    const ExpectedVersion expected = i % 7 == 3   ? ExpectedVersion::exact(99)
                                     : i % 5 == 1 ? ExpectedVersion::no_stream()
                                                  : ExpectedVersion::any();
    auto& b = batches.emplace_back(pg_test::batch(id, expected, i % 4));
    for (auto& e : b.events) e.payload = Json{{"type", "Happened"}, {"data", {{"i", i}}}};
    if (i == 18) b.events[1].event_type.clear();  // 18 % 4 = 2 events: the second one has no type
  }
  batches.push_back(contract::process_commit(p, contract::at("2026-03-02T08:00:00Z")));
  auto reference_batches = batches;

  const auto results = one_pass->append_many(batches);
  std::vector<std::optional<EngineError>> reference_results;
  for (auto& b : reference_batches) {
    try {
      reference->append(b);
      reference_results.emplace_back();
    } catch (const EngineError& e) {
      reference_results.emplace_back(e);
    }
  }
  REQUIRE(results.size() == reference_results.size());
  for (std::size_t i = 0; i < results.size(); ++i) {
    INFO("batch " << i);
    REQUIRE(results[i].has_value() == reference_results[i].has_value());
    if (results[i]) {
      CHECK(results[i]->kind() == reference_results[i]->kind());
      CHECK(std::string(results[i]->what()) == reference_results[i]->what());
      continue;
    }
    REQUIRE(batches[i].events.size() == reference_batches[i].events.size());
    for (std::size_t j = 0; j < batches[i].events.size(); ++j) {
      CHECK(batches[i].events[j].sequence_number == reference_batches[i].events[j].sequence_number);
      CHECK(batches[i].events[j].global_position == reference_batches[i].events[j].global_position);
    }
  }
  const auto log = one_pass->read_all(0, 1000);
  const auto reference_log = reference->read_all(0, 1000);
  REQUIRE(log.size() == reference_log.size());
  CHECK(log.size() > 60);
  for (std::size_t i = 0; i < log.size(); ++i) {
    INFO("position " << i + 1);
    CHECK(log[i].global_position == reference_log[i].global_position);
    CHECK(log[i].stream_id == reference_log[i].stream_id);
    CHECK(log[i].sequence_number == reference_log[i].sequence_number);
    CHECK(log[i].event_id == reference_log[i].event_id);
    CHECK(log[i].event_type == reference_log[i].event_type);
    CHECK(log[i].tenant_id == reference_log[i].tenant_id);
    CHECK(log[i].process_id == reference_log[i].process_id);
    CHECK(log[i].correlation_id == reference_log[i].correlation_id);
    CHECK(log[i].timestamp == reference_log[i].timestamp);
    CHECK(log[i].payload.json() == reference_log[i].payload.json());
  }
  for (const auto& id : ids) CHECK(one_pass->stream_version(StreamId(id)) == reference->stream_version(StreamId(id)));
  CHECK(one_pass->stream_version(p.stream_id) == 1);
  CHECK(reference->stream_version(p.stream_id) == 1);
  // The stream rows too: versions and identities (a message-only stream takes its first event's).
  const auto streams = [](const std::string& schema) {
    return pg_test::Peek().exec(
        "SELECT string_agg(concat_ws(' ', stream_id, version, tenant_id, process_id, workflow_name, format_version), "
        "'; ' ORDER BY stream_id) FROM " +
        schema + ".streams");
  };
  CHECK(streams(one_pass_schema) == streams(reference_schema));
  CHECK_THAT(streams(one_pass_schema), Catch::Contains(p.process_id.uuid().to_string()));
}
