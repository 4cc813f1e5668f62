// Units of work on the SQLite store: one transaction for a thread's writes -- invisible to other
// connections until commit, gone after a rollback (also of a nested unit), other writers waiting.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <atomic>
#include <fstream>
#include <string>
#include <thread>

#include <mako/core/engine.hpp>
#include <mako/sqlite/sqlite_store.hpp>

#include "counter_workflow.hpp"

#include "contract/runtime_fixture.hpp"
#include "sqlite/sqlite_db_peek.hpp"
#include "sqlite/test_paths.hpp"

using namespace mako;
using mako::sqlite::SqliteStore;

namespace {
const TenantId tenant = TenantId::from_party_id("9900000000003");
const Timestamp t0 = parse_rfc3339("2026-03-02T08:00:00Z");

// The scheduler state of one of this process's threads (/proc/self/task/<tid>/stat): 'R' running,
// 'S' asleep in the kernel, e.g. waiting for a mutex.
char thread_state(pid_t tid) {
  std::ifstream stat("/proc/self/task/" + std::to_string(tid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  const auto paren = text.rfind(')');
  return paren != std::string::npos && paren + 2 < text.size() ? text[paren + 2] : '?';
}
}  // namespace

TEST_CASE("sqlite unit of work: other connections see nothing until commit", "[sqlite][unit]") {
  const auto path = sqlite_test::fresh_db("unit-visibility");
  auto store = SqliteStore::open(path);
  auto other = SqliteStore::open(path);  // another handle, as another OS process would have
  auto inbox = store->inbox();
  const auto p = contract::new_process(tenant);
  auto unit = store->begin_work_unit();
  auto b = contract::process_commit(p, t0);
  store->append(b);
  CHECK(inbox->record_if_new(tenant, "S/1", t0));
  CHECK(store->stream_version(p.stream_id) == 1);
  CHECK(other->stream_version(p.stream_id) == 0);
  CHECK_FALSE(other->inbox()->contains(tenant, "S/1"));
  unit->commit();
  CHECK(other->stream_version(p.stream_id) == 1);
  CHECK(other->inbox()->contains(tenant, "S/1"));
}

TEST_CASE("sqlite unit of work: a unit ended without commit leaves nothing behind", "[sqlite][unit]") {
  const auto path = sqlite_test::fresh_db("unit-rollback");
  auto store = SqliteStore::open(path);
  const auto p = contract::new_process(tenant);
  {
    auto unit = store->begin_work_unit();
    auto b = contract::process_commit(p, t0);
    b.messages.push_back(contract::message("k-1"));
    store->append(b);
    CHECK(store->inbox()->record_if_new(tenant, "S/1", t0));
  }
  CHECK(store->stream_version(p.stream_id) == 0);
  CHECK(store->head_position() == 0);
  CHECK_FALSE(store->inbox()->contains(tenant, "S/1"));
  CHECK(store->outbox()->claim_due(t0 + std::chrono::hours(1), 10).empty());
  // The writer's cached stream versions were dropped with the rollback: the stream starts anew.
  auto again = contract::process_commit(p, t0);
  again.expected = ExpectedVersion::no_stream();
  CHECK(store->append(again) == 1);
  CHECK(SqliteStore::open(path)->stream_version(p.stream_id) == 1);
}

TEST_CASE("sqlite unit of work: outbox claims inside a unit lease with the unit, a rolled-back unit frees them",
          "[sqlite][unit][outbox]") {
  const auto path = sqlite_test::fresh_db("unit-claim");
  auto store = SqliteStore::open(path);
  auto other = SqliteStore::open(path);  // another worker's handle
  const auto p = contract::new_process(tenant);
  auto b = contract::process_commit(p, t0);
  b.messages = {contract::message("k-1"), contract::message("k-2")};
  store->append(b);
  {
    auto unit = store->begin_work_unit();
    CHECK(store->outbox()->claim_due(t0, 1).size() == 1);   // leased inside the unit
    CHECK(store->outbox()->claim_due(t0, 10).size() == 1);  // the other one; k-1 is leased
    CHECK(store->outbox()->claim_due(t0, 10).empty());      // nothing due: no lease to write
  }  // rolled back: the leases too
  CHECK(other->outbox()->claim_due(t0, 10).size() == 2);
  {
    auto unit = store->begin_work_unit();
    CHECK(store->outbox()->claim_due(t0 + std::chrono::hours(1), 10).size() == 2);
    unit->commit();
  }
  CHECK(other->outbox()->claim_due(t0 + std::chrono::hours(1), 10).empty());  // leased by the committed unit
}

TEST_CASE("sqlite unit of work: a nested unit rolls back to its start only", "[sqlite][unit]") {
  const auto path = sqlite_test::fresh_db("unit-nested");
  auto store = SqliteStore::open(path);
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
    auto b4 = contract::process_commit(kept, t0);
    b4.expected = ExpectedVersion::exact(1);
    CHECK(store->append(b4) == 2);
    outer->commit();
  }
  auto reopened = SqliteStore::open(path);
  CHECK(reopened->stream_version(kept.stream_id) == 2);
  CHECK(reopened->stream_version(dropped.stream_id) == 0);
  CHECK(reopened->head_position() == 2);
  CHECK(reopened->integrity_check() == "ok");
}

TEST_CASE("sqlite unit of work: another thread's write waits for the unit to end", "[sqlite][unit][concurrency]") {
  const auto path = sqlite_test::fresh_db("unit-threads");
  auto store = SqliteStore::open(path);
  const auto mine = contract::new_process(tenant), theirs = contract::new_process(tenant);
  std::atomic<bool> written{false};
  std::atomic<pid_t> writer_tid{0};
  auto unit = store->begin_work_unit();
  auto b = contract::process_commit(mine, t0);
  store->append(b);
  std::thread writer([&] {
    auto c = contract::process_commit(theirs, t0);
    writer_tid = ::gettid();
    store->append(c);
    written = true;
  });
  // No timer: wait until the writer has started its append and sleeps in the kernel (it waits for
  // the unit) -- or has written, which it must not have.
  while (writer_tid.load() == 0) std::this_thread::yield();
  while (!written.load() && thread_state(writer_tid.load()) != 'S') std::this_thread::yield();
  CHECK_FALSE(written.load());
  // Reads of other threads are not blocked and see the last commit.
  std::uint64_t seen = 99;
  std::thread reader([&] { seen = store->stream_version(mine.stream_id); });
  reader.join();
  CHECK(seen == 0);
  unit->commit();
  writer.join();
  CHECK(written.load());
  // Positions stay dense and in commit order: the unit's event first.
  const auto all = store->read_all(0, 10);
  REQUIRE(all.size() == 2);
  CHECK(all[0].stream_id == mine.stream_id);
  CHECK(all[1].stream_id == theirs.stream_id);
}

TEST_CASE("sqlite unit of work: committing twice is refused, a read-only store's unit writes nothing",
          "[sqlite][unit]") {
  const auto path = sqlite_test::fresh_db("unit-misuse");
  auto store = SqliteStore::open(path);
  auto unit = store->begin_work_unit();
  unit->commit();
  CHECK_THROWS_AS(unit->commit(), EngineError);
  sqlite::SqliteOptions ro;
  ro.read_only = true;
  auto reader = SqliteStore::open(path, ro);
  auto read_unit = reader->begin_work_unit();
  CHECK(reader->head_position() == 0);
  read_unit->commit();
}

TEST_CASE("sqlite unit of work: a process whose commits rolled back with a unit recovers with execute_with_retry",
          "[sqlite][unit]") {
  const auto path = sqlite_test::fresh_db("unit-process");
  auto store = SqliteStore::open(path);
  auto engine = EngineBuilder().with_event_store(store).build();
  auto process = engine.spawn<counter::Workflow>(TenantId(), WorkflowId("counter", "FV2025-10-01"));
  process.execute(counter::Command{1});
  {
    auto unit = engine.begin_work_unit();
    process.execute(counter::Command{10});
    CHECK(process.state().value == 11);
  }  // rolled back: the handle's cached state is ahead of the stream
  CHECK(store->stream_version(process.stream_id()) == 1);
  // The first attempt conflicts (the stream is behind the cache) and drops the cache; the retry
  // folds the committed events and decides on them.
  process.execute_with_retry(counter::Command{100}, 2);
  CHECK(process.state().value == 101);
  CHECK(store->stream_version(process.stream_id()) == 2);
}

TEST_CASE("sqlite unit of work: an append failing halfway breaks its unit until that unit is rolled back",
          "[sqlite][unit][faults]") {
  // Inside a unit an append takes no savepoint of its own (it checks everything that can refuse it
  // before its first write). A failure SQLite raises after some of its rows are in -- here a
  // trigger on the second event inserting a value of the wrong type -- leaves half an append in
  // the unit: further writes and the commit are refused until the unit holding it rolls back.
  const auto path = sqlite_test::fresh_db("unit-halfway");
  auto store = SqliteStore::open(path);
  sqlite_test::add_failing_events_trigger(path, "NEW.sequence = 2 AND NEW.event_type = 'Poison'");
  const auto kept = contract::new_process(tenant);
  const auto broken = contract::new_process(tenant);
  auto halfway = [&] {
    auto b = contract::process_commit(broken, t0);
    b.events.push_back(b.events.front());
    b.events.back().event_type = "Poison";
    return b;
  };
  auto unit = store->begin_work_unit();
  auto first = contract::process_commit(kept, t0);
  store->append(first);
  {
    auto nested = store->begin_work_unit();
    auto b = halfway();
    CHECK_THROWS_AS(store->append(b), EngineError);
    auto refused = contract::process_commit(contract::new_process(tenant), t0);
    CHECK_THROWS_WITH(store->append(refused), Catch::Contains("rollback-only"));
    CHECK_THROWS_WITH(nested->commit(), Catch::Contains("rollback-only"));
  }  // the nested unit rolls back, and the half append with it
  CHECK(store->inbox()->record_if_new(tenant, "S/after", t0));
  unit->commit();
  CHECK(store->stream_version(kept.stream_id) == 1);
  CHECK(store->stream_version(broken.stream_id) == 0);
  CHECK(store->inbox()->contains(tenant, "S/after"));

  // Without a nested unit the whole unit is broken: its commit is refused, its rollback leaves nothing.
  {
    auto outer = store->begin_work_unit();
    auto other = contract::process_commit(contract::new_process(tenant), t0);
    store->append(other);
    auto b = halfway();
    CHECK_THROWS_AS(store->append(b), EngineError);
    auto e = [&]() -> EngineError {
      try {
        outer->commit();
      } catch (const EngineError& err) {
        return err;
      }
      FAIL("commit of a broken unit succeeded");
      throw;
    }();
    CHECK(e.kind() == EngineError::Kind::Storage);
    CHECK(e.is_store_failure());
    CHECK(std::string(e.what()).find(path) != std::string::npos);
  }
  CHECK(store->head_position() == 1);
  // The store is usable again.
  auto later = contract::process_commit(contract::new_process(tenant), t0);
  CHECK(store->append(later) == 1);
}

TEST_CASE("sqlite unit of work: nested units that write nothing, then writes, roll back exactly", "[sqlite][unit]") {
  // A nested unit takes its savepoint only at its first write; rollbacks must still cover exactly
  // what was written inside each unit, whichever of them wrote.
  const auto path = sqlite_test::fresh_db("unit-lazy-savepoints");
  auto store = SqliteStore::open(path);
  auto inbox = store->inbox();
  auto unit = store->begin_work_unit();
  {
    auto idle = store->begin_work_unit();  // writes nothing, commits
    idle->commit();
  }
  {
    auto idle = store->begin_work_unit();  // writes nothing, rolls back: nothing to undo
  }
  CHECK(inbox->record_if_new(tenant, "S/outer", t0));
  {
    auto a = store->begin_work_unit();
    {
      auto b = store->begin_work_unit();  // a has not written: both savepoints are taken now
      CHECK(inbox->record_if_new(tenant, "S/b", t0));
    }  // b rolls back
    CHECK(inbox->record_if_new(tenant, "S/a", t0));
    a->commit();
  }
  {
    auto c = store->begin_work_unit();
    CHECK(inbox->record_if_new(tenant, "S/c", t0));
  }  // c rolls back
  unit->commit();
  CHECK(inbox->contains(tenant, "S/outer"));
  CHECK(inbox->contains(tenant, "S/a"));
  CHECK_FALSE(inbox->contains(tenant, "S/b"));
  CHECK_FALSE(inbox->contains(tenant, "S/c"));
}

TEST_CASE("sqlite unit of work: a nested unit's first write inside a store's own savepoint", "[sqlite][unit]") {
  // The nested unit's savepoint is owed when the outbox claim opens its own: it must be taken
  // first, or releasing the claim's savepoint would release the unit's with it.
  const auto path = sqlite_test::fresh_db("unit-owed-savepoint");
  auto store = SqliteStore::open(path);
  const auto p = contract::new_process(tenant);
  auto b = contract::process_commit(p, t0);
  b.messages.push_back(contract::message("k-1"));
  b.messages.push_back(contract::message("k-2", "Other"));
  store->append(b);
  auto outbox = store->outbox();
  const auto later = t0 + std::chrono::hours(1);
  auto unit = store->begin_work_unit();
  {
    auto nested = store->begin_work_unit();
    CHECK(outbox->claim_due(later, 1).size() == 1);
    nested->commit();
  }
  {
    auto nested = store->begin_work_unit();
    CHECK(outbox->claim_due(later, 1).size() == 1);
  }  // rolled back: the second lease is undone
  unit->commit();
  // One message leased (not due again within the lease), the other due again.
  const auto due = outbox->claim_due(later, 10);
  REQUIRE(due.size() == 1);
}

TEST_CASE("sqlite: the writer's stream cache hears of a stream that register_key created", "[sqlite][registry]") {
  // The writer remembers streams between appends, also one it found missing. register_key may
  // create that stream's row (a key registered before the first commit): the next append must
  // see it, not insert the row again.
  const auto path = sqlite_test::fresh_db("cache-register-key");
  auto store = SqliteStore::open(path);
  const auto p = contract::new_process(tenant);
  const auto other = contract::new_process(tenant, "other");
  auto conflict = contract::process_commit(p, t0);
  conflict.expected = ExpectedVersion::exact(3);  // refused: the writer has now looked p up and found nothing
  std::vector<CommitBatch> batches{conflict, contract::process_commit(other, t0)};
  auto results = store->append_many(batches);
  REQUIRE(results[0]);
  CHECK(results[0]->kind() == EngineError::Kind::VersionConflict);
  CHECK_FALSE(results[1]);
  store->registry()->register_key(p, RegistryEntry{"vorgang", "V9"});
  auto first = contract::process_commit(p, t0);
  first.expected = ExpectedVersion::no_stream();
  CHECK(store->append(first) == 1);
  CHECK(store->registry()->lookup(tenant, "vorgang", "V9") == p);
}

TEST_CASE(
    "sqlite unit of work: a joined unit is part of the outer one, rolled back after writing, it makes that one rollback-only",
    "[sqlite][unit]") {
  const auto path = sqlite_test::fresh_db("unit-join");
  auto store = SqliteStore::open(path);
  auto inbox = store->inbox();
  auto other = SqliteStore::open(path);  // sees only what is committed

  // Outside any unit, a joined unit is an ordinary one.
  {
    auto alone = store->begin_work_unit(UnitNesting::Join);
    CHECK(inbox->record_if_new(tenant, "S/alone", t0));
    alone->commit();
  }
  CHECK(other->inbox()->contains(tenant, "S/alone"));

  // Committed: its writes are the outer unit's, gone with the outer rollback.
  {
    auto outer = store->begin_work_unit();
    auto joined = store->begin_work_unit(UnitNesting::Join);
    CHECK(inbox->record_if_new(tenant, "S/joined", t0));
    joined->commit();
    CHECK_FALSE(other->inbox()->contains(tenant, "S/joined"));
  }
  CHECK_FALSE(inbox->contains(tenant, "S/joined"));

  // Rolled back without writing: nothing happened, the outer unit commits.
  {
    auto outer = store->begin_work_unit();
    CHECK(inbox->record_if_new(tenant, "S/kept", t0));
    { auto idle = store->begin_work_unit(UnitNesting::Join); }
    outer->commit();
  }
  CHECK(other->inbox()->contains(tenant, "S/kept"));

  // Rolled back after writing: the outer unit refuses writes and its commit until rolled back.
  {
    auto outer = store->begin_work_unit();
    CHECK(inbox->record_if_new(tenant, "S/before", t0));
    {
      auto joined = store->begin_work_unit(UnitNesting::Join);
      CHECK(inbox->record_if_new(tenant, "S/half", t0));
    }
    CHECK_THROWS_WITH(inbox->record_if_new(tenant, "S/after", t0), Catch::Contains("rollback-only"));
    CHECK_THROWS_WITH(outer->commit(), Catch::Contains("rollback-only"));
  }
  CHECK_FALSE(other->inbox()->contains(tenant, "S/before"));
  CHECK_FALSE(other->inbox()->contains(tenant, "S/half"));

  // Inside a savepoint unit, rolling that one back clears it: the outermost unit goes on.
  {
    auto outer = store->begin_work_unit();
    {
      auto savepoint = store->begin_work_unit();
      CHECK(inbox->record_if_new(tenant, "S/in-savepoint", t0));
      {
        auto joined = store->begin_work_unit(UnitNesting::Join);
        CHECK(inbox->record_if_new(tenant, "S/in-join", t0));
      }
    }  // rolled back, with the joined unit's writes
    CHECK(inbox->record_if_new(tenant, "S/last", t0));
    outer->commit();
  }
  CHECK(other->inbox()->contains(tenant, "S/last"));
  CHECK_FALSE(other->inbox()->contains(tenant, "S/in-savepoint"));
  CHECK_FALSE(other->inbox()->contains(tenant, "S/in-join"));
}

TEST_CASE("sqlite unit of work: replay inside a unit sees every append, also after a nested rollback",
          "[sqlite][unit]") {
  // Inside a unit the writer answers "anything after version N?" from what it appended itself;
  // that answer must follow every append and every rollback.
  const auto path = sqlite_test::fresh_db("unit-fold");
  auto store = SqliteStore::open(path);
  const auto p = contract::new_process(tenant);
  auto visited = [&](std::uint64_t after) {
    std::vector<std::uint64_t> seq;
    store->fold_stream(p.stream_id, after, [&](const EventEnvelope& e) { seq.push_back(e.sequence_number); });
    return seq;
  };
  auto unit = store->begin_work_unit();
  auto first = contract::process_commit(p, t0);
  store->append(first);
  CHECK(visited(0) == std::vector<std::uint64_t>{1});
  CHECK(visited(1).empty());
  {
    auto nested = store->begin_work_unit();
    auto second = contract::process_commit(p, t0);
    second.expected = ExpectedVersion::exact(1);
    store->append(second);
    CHECK(visited(1) == std::vector<std::uint64_t>{2});
  }  // rolled back
  CHECK(visited(1).empty());
  CHECK(store->stream_version(p.stream_id) == 1);
  auto again = contract::process_commit(p, t0);
  again.expected = ExpectedVersion::exact(1);
  CHECK(store->append(again) == 2);
  CHECK(visited(1) == std::vector<std::uint64_t>{2});
  CHECK(visited(2).empty());
  unit->commit();
  CHECK(visited(0) == (std::vector<std::uint64_t>{1, 2}));
}
