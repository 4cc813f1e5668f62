// Units of work on the PostgreSQL store: one transaction on one connection for a thread's writes --
// invisible to other connections until commit, gone after a rollback (also of a nested unit), and
// other threads' commits going on beside it while readers of the log wait for the unit's end.
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

#include <mako/postgres/pg_snapshot_store.hpp>

#include "contract/runtime_fixture.hpp"
#include "postgres/pg_test_server.hpp"

using namespace mako;
using mako::postgres::PgStore;

namespace {
const TenantId tenant = TenantId::from_party_id("9900000000003");
const Timestamp t0 = parse_rfc3339("2026-03-02T08:00:00Z");
}  // namespace

TEST_CASE("postgres unit of work: other connections see nothing until commit, and the unit sees its own writes",
          "[postgres][unit]") {
  const auto schema = pg_test::fresh_schema("unit_visibility");
  auto store = PgStore::open(pg_test::conninfo(), pg_test::options(schema));
  auto other = PgStore::open(pg_test::conninfo(), pg_test::options(schema));  // as another engine process would
  const auto p = contract::new_process(tenant);
  auto unit = store->begin_work_unit();
  auto b = contract::process_commit(p, t0);
  store->append(b);
  store->snapshots()->save(Snapshot{p.stream_id, 1, 1, Json{{"v", 1}}});
  CHECK(store->stream_version(p.stream_id) == 1);
  CHECK(store->snapshots()->load(p.stream_id));
  CHECK(other->stream_version(p.stream_id) == 0);
  CHECK_FALSE(other->snapshots()->load(p.stream_id));
  CHECK(other->head_position() == 0);
  unit->commit();
  CHECK_THROWS_AS(unit->commit(), EngineError);  // twice
  CHECK(other->stream_version(p.stream_id) == 1);
  CHECK(other->snapshots()->load(p.stream_id)->state == Json{{"v", 1}});
}

TEST_CASE("postgres unit of work: a unit ended without commit leaves nothing", "[postgres][unit]") {
  auto store = pg_test::fresh_store("unit_rollback");
  const auto p = contract::new_process(tenant);
  {
    auto unit = store->begin_work_unit();
    auto b = contract::process_commit(p, t0);
    store->append(b);
    store->snapshots()->save(Snapshot{p.stream_id, 1, 1, Json::object()});
  }
  CHECK(store->stream_version(p.stream_id) == 0);
  CHECK(store->head_position() == 0);
  CHECK_FALSE(store->snapshots()->load(p.stream_id));
  auto again = contract::process_commit(p, t0);
  again.expected = ExpectedVersion::no_stream();
  CHECK(store->append(again) == 1);
  // The rolled-back unit's position is not handed out again: the log holds the one event.
  const auto all = store->read_all(0, 10);
  REQUIRE(all.size() == 1);
  CHECK(all[0].global_position == again.events[0].global_position);
  CHECK(store->head_position() == again.events[0].global_position);
}

TEST_CASE("postgres unit of work: a nested unit rolls back to its start only", "[postgres][unit]") {
  const auto schema = pg_test::fresh_schema("unit_nested");
  auto store = PgStore::open(pg_test::conninfo(), pg_test::options(schema));
  const auto kept = contract::new_process(tenant), dropped = contract::new_process(tenant);
  {
    auto outer = store->begin_work_unit();
    auto b1 = contract::process_commit(kept, t0);
    store->append(b1);
    {
      auto inner = store->begin_work_unit();
      auto b2 = contract::process_commit(dropped, t0);
      store->append(b2);
      auto b3 = contract::process_commit(kept, t0);
      store->append(b3);  // kept's stream at 2 inside the inner unit only
    }
    {
      auto empty = store->begin_work_unit();  // writes nothing: no savepoint needed, commits fine
      empty->commit();
    }
    auto b4 = contract::process_commit(kept, t0);
    b4.expected = ExpectedVersion::exact(1);
    CHECK(store->append(b4) == 2);
    {
      auto inner = store->begin_work_unit();
      store->snapshots()->save(Snapshot{kept.stream_id, 2, 1, Json::object()});
      inner->commit();
    }
    outer->commit();
  }
  auto reopened = PgStore::open(pg_test::conninfo(), pg_test::options(schema));
  CHECK(reopened->stream_version(kept.stream_id) == 2);
  CHECK(reopened->stream_version(dropped.stream_id) == 0);
  CHECK(reopened->read_all(0, 10).size() == 2);
  CHECK(reopened->snapshots()->load(kept.stream_id));
}

TEST_CASE("postgres unit of work: a joined unit rolled back after writing makes the outer one rollback-only",
          "[postgres][unit]") {
  auto store = pg_test::fresh_store("unit_join");
  const auto p = contract::new_process(tenant);
  {
    auto outer = store->begin_work_unit();
    {
      auto joined = store->begin_work_unit(UnitNesting::Join);
      auto b = contract::process_commit(p, t0);
      store->append(b);
    }  // rolled back: its write stays in the outer unit, which can no longer commit
    auto more = contract::process_commit(contract::new_process(tenant), t0);
    CHECK_THROWS_WITH(store->append(more), Catch::Contains("rollback-only"));
    CHECK_THROWS_WITH(outer->commit(), Catch::Contains("rollback-only"));
  }
  CHECK(store->head_position() == 0);
  {
    auto outer = store->begin_work_unit();
    {
      auto joined = store->begin_work_unit(UnitNesting::Join);  // writes nothing: harmless
    }
    {
      auto joined = store->begin_work_unit(UnitNesting::Join);
      auto refused =
          pg_test::batch("s/absent", ExpectedVersion::exact(5), 1);  // a conflict writes nothing: harmless too
      CHECK_THROWS_AS(store->append(refused), EngineError);
    }
    auto b = contract::process_commit(p, t0);
    store->append(b);
    outer->commit();
  }
  CHECK(store->stream_version(p.stream_id) == 1);
}

TEST_CASE("postgres unit of work: a version conflict inside a unit refuses that append only", "[postgres][unit]") {
  auto store = pg_test::fresh_store("unit_conflict");
  auto unit = store->begin_work_unit();
  auto a = pg_test::batch("s/a", ExpectedVersion::no_stream(), 1);
  store->append(a);
  auto conflicting = pg_test::batch("s/a", ExpectedVersion::no_stream(), 1);
  CHECK_THROWS_MATCHES(
      store->append(conflicting), EngineError,
      Catch::Matchers::Predicate<EngineError>([](const EngineError& e) { return e.is_version_conflict(); }));
  auto b = pg_test::batch("s/b", ExpectedVersion::no_stream(), 1);
  store->append(b);
  unit->commit();
  CHECK(store->head_position() == 2);
  CHECK_THROWS_AS(
      [&] {
        auto u = store->begin_work_unit();
        store->close();  // refused inside the calling thread's unit
      }(),
      EngineError);
  CHECK_FALSE(store->closed());
}

TEST_CASE("postgres unit of work: another thread commits beside an open unit, and readers of the log wait for the unit",
          "[postgres][unit][concurrency]") {
  const auto schema = pg_test::fresh_schema("unit_threads");
  auto store = PgStore::open(pg_test::conninfo(), pg_test::options(schema));
  auto reader = PgStore::open(pg_test::conninfo(), pg_test::options(schema));  // another engine process
  const auto mine = contract::new_process(tenant), theirs = contract::new_process(tenant);
  for (const bool commit : {true, false}) {
    INFO("the unit " << (commit ? "commits" : "rolls back"));
    const std::uint64_t before = reader->head_position();
    auto unit = store->begin_work_unit();
    auto b = contract::process_commit(mine, t0);
    b.expected = ExpectedVersion::any();
    store->append(b);
    std::uint64_t their_position = 0;
    // Their commit does not wait for the unit (the join would hang if it did).
    std::thread writer([&] {
      auto c = contract::process_commit(theirs, t0);
      c.expected = ExpectedVersion::any();
      store->append(c);
      their_position = c.events[0].global_position;
    });
    writer.join();
    CHECK(their_position > b.events[0].global_position);
    CHECK(reader->stream_version(theirs.stream_id) == (commit ? 1u : 1u) + (before ? 1u : 0u));
    // Their event is committed, but the unit may still commit a lower position: the log's
    // readers stop below it, and so does the head.
    CHECK(reader->read_all(before, 10).empty());
    CHECK(reader->head_position() == before);
    // The unit itself reads its own event and theirs.
    CHECK(store->read_all(before, 10).size() == 2);
    if (commit) unit->commit();
    else unit.reset();
    const auto all = reader->read_all(before, 10);
    REQUIRE(all.size() == (commit ? 2u : 1u));
    if (commit) CHECK(all[0].stream_id == mine.stream_id);
    CHECK(all.back().stream_id == theirs.stream_id);
    CHECK(all.back().global_position == their_position);
    CHECK(reader->head_position() == their_position);
  }
}
