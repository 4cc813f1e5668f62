// Units of work on the PostgreSQL store: one transaction on one connection for a thread's writes --
// invisible to other connections until commit, gone after a rollback (also of a nested unit), and
// appends of other threads waiting for the append lock the unit holds.
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

TEST_CASE("postgres unit of work: a unit ended without commit leaves nothing, and positions stay dense",
          "[postgres][unit]") {
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
  CHECK(again.events[0].global_position == 1);
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
  CHECK(reopened->head_position() == 2);
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

TEST_CASE("postgres unit of work: another thread's append waits for the append lock the unit holds",
          "[postgres][unit][concurrency]") {
  const auto schema = pg_test::fresh_schema("unit_threads");
  auto store = PgStore::open(pg_test::conninfo(), pg_test::options(schema));
  const auto mine = contract::new_process(tenant), theirs = contract::new_process(tenant);
  std::atomic<bool> written{false};
  auto unit = store->begin_work_unit();
  auto b = contract::process_commit(mine, t0);
  store->append(b);
  std::thread writer([&] {
    auto c = contract::process_commit(theirs, t0);
    store->append(c);
    written = true;
  });
  // No timer: wait until the server reports the writer's session waiting for the advisory lock.
  pg_test::Peek peek;
  // (This schema's lock only: other tests may run at the same time on the server.)
  const std::string waits =
      "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objsubid = 1 "
      "AND objid = '" +
      schema + ".events'::regclass::oid";
  while (peek.exec(waits) != "1") std::this_thread::yield();
  CHECK_FALSE(written.load());
  CHECK(store->stream_version(theirs.stream_id) == 0);
  unit->commit();
  writer.join();
  CHECK(written.load());
  // Positions in commit order: the unit's event first.
  const auto all = store->read_all(0, 10);
  REQUIRE(all.size() == 2);
  CHECK(all[0].stream_id == mine.stream_id);
  CHECK(all[0].global_position == 1);
  CHECK(all[1].stream_id == theirs.stream_id);
  CHECK(all[1].global_position == 2);
}
