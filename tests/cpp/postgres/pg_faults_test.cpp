// Faults on the PostgreSQL store: a lost connection (the server ends the session) is transient and
// the store recovers; a batch is written whole or not at all.
#include <catch2/catch.hpp>

#include <atomic>
#include <optional>
#include <thread>

#include <mako/postgres/pg_snapshot_store.hpp>

#include "contract/runtime_fixture.hpp"
#include "postgres/pg_test_server.hpp"

using namespace mako;
using mako::postgres::PgStore;

namespace {
const TenantId tenant = TenantId::from_party_id("9900000000003");

EngineError error_of(const std::function<void()>& call) {
  try {
    call();
  } catch (const EngineError& e) {
    return e;
  }
  FAIL("the call did not throw");
  throw;
}

// Ends every server session of connections named `application_name` and waits until they are gone
// (pg_terminate_backend with a timeout returns once the session has ended).
void terminate_sessions(const std::string& application_name) {
  pg_test::Peek peek;
  // The sessions are chosen first (MATERIALIZED): in one WHERE the planner may call the function on
  // every session before it filters.
  const auto ended =
      peek.exec("WITH chosen AS MATERIALIZED (SELECT pid FROM pg_stat_activity WHERE application_name = '" +
                application_name + "') SELECT count(*) FROM chosen WHERE pg_terminate_backend(pid, 60000)");
  REQUIRE(ended != "0");
}
}  // namespace

TEST_CASE("postgres: a connection the server ended is a transient error, and the next call works on a new one",
          "[postgres][faults]") {
  const auto schema = pg_test::fresh_schema("lost");
  const std::string name = "mako_lost_" + schema;
  auto store = PgStore::open(pg_test::conninfo() + " application_name=" + name, pg_test::options(schema));
  auto b = pg_test::batch("s/lost", ExpectedVersion::no_stream(), 2);
  store->append(b);
  terminate_sessions(name);

  const auto e = error_of([&] { store->head_position(); });
  CHECK(e.kind() == EngineError::Kind::Busy);
  CHECK(e.is_transient());
  CHECK_THAT(e.what(), Catch::Contains("connection to the server was lost"));
  CHECK(store->head_position() == 2);  // the dead connection was dropped from the pool
  auto more = pg_test::batch("s/lost", ExpectedVersion::exact(2), 1);
  CHECK(store->append(more) == 3);

  // An append on a connection that was lost: transient too, and nothing of it is written.
  terminate_sessions(name);
  auto lost_append = pg_test::batch("s/lost", ExpectedVersion::exact(3), 1);
  CHECK(error_of([&] { store->append(lost_append); }).is_transient());
  CHECK(store->stream_version(StreamId("s/lost")) == 3);
  CHECK(store->append(lost_append) == 4);  // the retry
  // A fresh store on the same schema sees everything acknowledged.
  CHECK(PgStore::open(pg_test::conninfo(), pg_test::options(schema))->read_all(0, 100).size() == 4);
}

TEST_CASE("postgres: a unit of work whose connection is lost keeps nothing and refuses its commit",
          "[postgres][faults][unit]") {
  const auto schema = pg_test::fresh_schema("lost_unit");
  const std::string name = "mako_lost_" + schema;
  auto store = PgStore::open(pg_test::conninfo() + " application_name=" + name, pg_test::options(schema));
  {
    auto unit = store->begin_work_unit();
    auto b = pg_test::batch("s/unit", ExpectedVersion::no_stream(), 1);
    store->append(b);
    terminate_sessions(name);
    auto c = pg_test::batch("s/unit", ExpectedVersion::exact(1), 1);
    CHECK(error_of([&] { store->append(c); }).is_transient());
    const auto commit = error_of([&] { unit->commit(); });
    CHECK(commit.kind() == EngineError::Kind::Storage);  // the unit as a whole must be redone, not this call
    CHECK_THAT(commit.what(), Catch::Contains("lost"));
  }
  CHECK(store->stream_version(StreamId("s/unit")) == 0);
  CHECK(store->head_position() == 0);
  auto again = pg_test::batch("s/unit", ExpectedVersion::no_stream(), 1);
  CHECK(store->append(again) == 1);
}

TEST_CASE("postgres: a batch's messages, deadlines and registry entries commit with its events, or none of it",
          "[postgres][faults][runtime]") {
  const auto s = pg_test::fresh_schema("batch_parts");
  auto store = PgStore::open(pg_test::conninfo(), pg_test::options(s));
  const auto p = contract::new_process(tenant);
  const auto t = contract::at("2026-03-02T08:00:00Z");
  auto with_all = contract::process_commit(p, t);
  with_all.messages.push_back(contract::message("k-1"));
  with_all.deadlines.push_back(DeadlineRequest{"answer", contract::at("2026-03-03T08:00:00Z"), Json::object()});
  with_all.registrations.push_back(RegistryEntry{"malo", "51238696781"});
  // A refused part refuses the whole batch, before anything is written: here a NUL byte in a name.
  auto bad = with_all;
  bad.deadlines.push_back(DeadlineRequest{std::string("a\0b", 3), t, Json::object()});
  auto e = error_of([&] { store->append(bad); });
  CHECK(e.is_invalid_input());
  CHECK_THAT(e.what(), Catch::Contains("NUL") && Catch::Contains("nothing was written"));
  auto wrong_version = with_all;
  wrong_version.expected = ExpectedVersion::exact(7);
  CHECK(error_of([&] { store->append(wrong_version); }).kind() == EngineError::Kind::VersionConflict);
  // In one append_many, the refused batch leaves nothing and the good ones commit whole.
  std::vector<CommitBatch> batches{bad, with_all};
  const auto results = store->append_many(batches);
  REQUIRE(results[0]);
  CHECK(results[0]->is_invalid_input());
  CHECK_FALSE(results[1]);
  CHECK(store->stream_version(p.stream_id) == 1);
  CHECK(store->outbox()->pending_count() == 1);
  CHECK(store->deadlines()->pending().size() == 1);
  CHECK(store->registry()->lookup(tenant, "malo", "51238696781") == p);
  // The message's row points at the commit's last event (its enqueue time is that event's).
  CHECK(store->outbox()->find("k-1")->enqueued_at == t);

  // A store failing halfway (here: a deadline row PostgreSQL refuses by a trigger) rolls the whole batch back.
  const auto q = contract::new_process(tenant);
  auto failing = contract::process_commit(q, t);
  failing.messages.push_back(contract::message("k-2"));
  failing.deadlines.push_back(DeadlineRequest{"refused-by-trigger", t, Json::object()});
  pg_test::Peek peek;
  peek.exec("CREATE FUNCTION " + s +
            ".refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.name = 'refused-by-trigger' THEN "
            "RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$");
  peek.exec("CREATE TRIGGER refuse BEFORE INSERT ON " + s + ".deadlines FOR EACH ROW EXECUTE FUNCTION " + s +
            ".refuse()");
  CHECK(error_of([&] { store->append(failing); }).is_storage_error());
  CHECK(store->stream_version(q.stream_id) == 0);
  CHECK_FALSE(store->outbox()->find("k-2"));
  CHECK(store->head_position() == 1);
}

TEST_CASE("postgres: a NUL byte PostgreSQL cannot store is refused, not cut short", "[postgres][faults]") {
  auto store = pg_test::fresh_store("nul");
  auto b = pg_test::batch("s/nul", ExpectedVersion::any(), 2);
  b.events[1].event_type = std::string("Bad\0Type", 8);
  const auto e = error_of([&] { store->append(b); });
  CHECK(e.is_invalid_input());
  CHECK_THAT(e.what(), Catch::Contains("event 2") && Catch::Contains("NUL"));
  CHECK(store->head_position() == 0);
  // Inside payloads and snapshot states a NUL is escaped JSON text: kept.
  auto ok = pg_test::batch("s/nul", ExpectedVersion::any(), 1);
  ok.events[0].payload = Json{{"type", "Happened"}, {"data", {{"s", std::string("a\0b", 3)}}}};
  store->append(ok);
  CHECK(store->load(StreamId("s/nul")).at(0).payload.json()["data"]["s"] == std::string("a\0b", 3));
}

TEST_CASE("postgres: a deadlock between two units is a transient error for one of them, and the other commits",
          "[postgres][faults][unit][concurrency]") {
  const auto schema = pg_test::fresh_schema("deadlock");
  auto store = PgStore::open(pg_test::conninfo(), pg_test::options(schema));
  auto snapshots = store->snapshots();
  const StreamId s1("process/one"), s2("process/two");
  snapshots->save(Snapshot{s1, 1, 1, Json{{"by", "setup"}}});
  snapshots->save(Snapshot{s2, 1, 1, Json{{"by", "setup"}}});

  // Each unit locks one row, then, once both hold theirs, wants the other's: a cycle, whichever
  // asks first, which the server breaks after deadlock_timeout by failing one of the two statements.
  std::atomic<int> step{0};
  std::optional<EngineError> failures[2];
  bool committed[2] = {false, false};
  const auto run = [&](int me, const StreamId& first, const StreamId& second) {
    auto unit = store->begin_work_unit();
    snapshots->save(Snapshot{first, 2, 1, Json{{"by", me}}});
    ++step;
    while (step.load() < 2) std::this_thread::yield();  // both hold their first row
    try {
      snapshots->save(Snapshot{second, 2, 1, Json{{"by", me}}});
      unit->commit();
      committed[me] = true;
    } catch (const EngineError& e) {
      failures[me] = e;
    }
  };
  std::thread t0([&] { run(0, s1, s2); });
  std::thread t1([&] { run(1, s2, s1); });
  t0.join();
  t1.join();

  REQUIRE(committed[0] != committed[1]);  // exactly one commits
  const int loser = committed[0] ? 1 : 0;
  REQUIRE(failures[loser]);
  CHECK(failures[loser]->kind() == EngineError::Kind::Busy);
  CHECK(failures[loser]->is_transient());
  CHECK_THAT(failures[loser]->what(), Catch::Contains("deadlock") && Catch::Contains("40P01"));
  // The winner's writes are there, the loser's are not.
  CHECK(snapshots->load(s1)->state == Json{{"by", 1 - loser}});
  CHECK(snapshots->load(s2)->state == Json{{"by", 1 - loser}});
}

namespace {
// A trigger that fails the insert of an event of type 'Poison' (SQLSTATE 22023, a data exception):
// a failure after an append has begun writing, as a value PostgreSQL refuses would be.
void poison_events(const std::string& schema) {
  pg_test::Peek peek;
  peek.exec("CREATE FUNCTION " + schema +
            ".poison() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "IF NEW.event_type = 'Poison' THEN RAISE EXCEPTION 'poisoned event' USING ERRCODE = '22023'; END IF; "
            "RETURN NEW; END $$");
  peek.exec("CREATE TRIGGER poison BEFORE INSERT ON " + schema + ".events FOR EACH ROW EXECUTE FUNCTION " + schema +
            ".poison()");
}

CommitBatch halfway(const std::string& stream) {
  auto b = pg_test::batch(stream, ExpectedVersion::any(), 2);
  b.events[1].event_type = "Poison";
  return b;
}
}  // namespace

TEST_CASE("postgres: a batch failing halfway leaves nothing, in append and append_many, inside a unit or not",
          "[postgres][faults]") {
  const auto schema = pg_test::fresh_schema("halfway");
  auto store = PgStore::open(pg_test::conninfo(), pg_test::options(schema));
  poison_events(schema);

  auto single = halfway("s/single");
  const auto e = error_of([&] { store->append(single); });
  CHECK(e.is_invalid_input());
  CHECK_THAT(e.what(), Catch::Contains("poisoned event") && Catch::Contains("22023"));
  CHECK(store->stream_version(StreamId("s/single")) == 0);
  CHECK(store->head_position() == 0);

  // append_many: the transaction runs again with a savepoint per batch; the others commit.
  std::vector<CommitBatch> batches{pg_test::batch("s/a", ExpectedVersion::no_stream(), 1), halfway("s/b"),
                                   pg_test::batch("s/c", ExpectedVersion::no_stream(), 2)};
  auto results = store->append_many(batches);
  CHECK_FALSE(results[0]);
  REQUIRE(results[1]);
  CHECK(results[1]->is_invalid_input());
  CHECK_FALSE(results[2]);
  CHECK(store->stream_version(StreamId("s/b")) == 0);
  // Positions may skip the failed attempt's numbers, but the log holds s/a then s/c, nothing else.
  auto all = store->read_all(0, 100);
  REQUIRE(all.size() == 3);
  CHECK((all[0].stream_id.str() == "s/a" && all[1].stream_id.str() == "s/c" && all[2].stream_id.str() == "s/c"));
  CHECK(all[2].global_position == batches[2].events[1].global_position);
  CHECK(store->head_position() == batches[2].events[1].global_position);

  // Inside a unit: append_many runs in a savepoint of its own, the unit goes on.
  {
    auto unit = store->begin_work_unit();
    std::vector<CommitBatch> more{halfway("s/d"), pg_test::batch("s/e", ExpectedVersion::no_stream(), 1)};
    results = store->append_many(more);
    REQUIRE(results[0]);
    CHECK_FALSE(results[1]);
    unit->commit();
  }
  CHECK(store->stream_version(StreamId("s/e")) == 1);
  CHECK(store->read_all(0, 100).size() == 4);

  // A plain append failing halfway inside a unit breaks the unit holding it until that unit rolls back.
  {
    auto unit = store->begin_work_unit();
    auto kept = pg_test::batch("s/kept", ExpectedVersion::no_stream(), 1);
    store->append(kept);
    {
      auto nested = store->begin_work_unit();
      auto b = halfway("s/broken");
      CHECK_THROWS_AS(store->append(b), EngineError);
      auto refused = pg_test::batch("s/other", ExpectedVersion::any(), 1);
      CHECK_THROWS_WITH(store->append(refused), Catch::Contains("rollback-only"));
      CHECK_THROWS_WITH(nested->commit(), Catch::Contains("rollback-only"));
    }  // the nested unit rolls back, and the half append with it
    auto after = pg_test::batch("s/after", ExpectedVersion::no_stream(), 1);
    store->append(after);
    unit->commit();
  }
  CHECK(store->stream_version(StreamId("s/kept")) == 1);
  CHECK(store->stream_version(StreamId("s/broken")) == 0);
  CHECK(store->stream_version(StreamId("s/after")) == 1);
  {
    auto unit = store->begin_work_unit();
    auto b = halfway("s/broken");
    CHECK_THROWS_AS(store->append(b), EngineError);
    const auto commit = error_of([&] { unit->commit(); });
    CHECK(commit.kind() == EngineError::Kind::Storage);
    CHECK_THAT(commit.what(), Catch::Contains("rollback-only") && Catch::Contains(schema));
  }
  all = store->read_all(0, 100);
  CHECK(all.size() == 6);
  CHECK(store->head_position() == all.back().global_position);
}

TEST_CASE(
    "postgres: fold_stream reads ahead page by page, and a visitor that stops mid-stream leaves the connection usable",
    "[postgres][faults]") {
  const auto schema = pg_test::fresh_schema("read_ahead");
  auto options = pg_test::options(schema);
  options.max_idle_connections = 1;  // every call below runs on the same connection
  const std::string name = "mako_" + schema;
  auto store = PgStore::open(pg_test::conninfo() + " application_name=" + name, options);
  pg_test::Peek peek;
  const auto session = [&] {
    return peek.exec("SELECT pid FROM pg_stat_activity WHERE application_name = '" + name + "'");
  };
  auto b = pg_test::batch("s/long", ExpectedVersion::no_stream(), 2500);  // three pages of 1,000
  store->append(b);
  const StreamId id("s/long");
  const auto read_all_of = [&] {
    std::uint64_t expected = 0;
    const auto n = store->fold_stream(id, 0, [&](const EventEnvelope& e) { CHECK(e.sequence_number == ++expected); });
    CHECK(n == 2500);
    CHECK(expected == 2500);
  };
  read_all_of();
  const auto pid = session();  // the one connection's server process
  REQUIRE_FALSE(pid.empty());
  {
    auto unit = store->begin_work_unit();  // a unit's connection reads each page in turn
    read_all_of();
    unit->commit();
  }
  // Stopped in the second page, while the third is on its way: the call fails with the visitor's
  // error, and the connection takes the next calls.
  struct Stop {};
  std::uint64_t seen = 0;
  CHECK_THROWS_AS(store->fold_stream(id, 0,
                                     [&](const EventEnvelope&) {
                                       if (++seen == 1500) throw Stop{};
                                     }),
                  Stop);
  // An append first: it pipelines its statements, which libpq refuses on a connection still owing
  // a result. The connection was drained and kept, not closed and replaced.
  auto more = pg_test::batch("s/more", ExpectedVersion::no_stream(), 1);
  CHECK(store->append(more) == 1);
  CHECK(session() == pid);
  CHECK(store->stream_version(id) == 2500);
  read_all_of();
  CHECK(store->load_from(id, 2400).size() == 100);
}
