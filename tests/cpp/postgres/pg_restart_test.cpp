// A server crash and restart in the middle of a run, on a private server of this test (other tests
// run on the shared one at the same time): 4 writers keep appending, get transient errors while
// the server is down, reconnect and finish; every append that was acknowledged is in the log, once.
#include <catch2/catch.hpp>

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "postgres/pg_test_server.hpp"
#include "postgres/private_pg_server.hpp"

using namespace mako;
using mako::postgres::PgStore;

TEST_CASE("postgres: a server crash and restart mid-run: writers reconnect and finish, nothing acknowledged is lost",
          "[postgres][faults][restart]") {
  pg_test::PrivateServer server;
  postgres::PgOptions options;  // the default schema: the server is this test's own
  auto setup = PgStore::open(server.conninfo(), options);

  constexpr int kWriters = 4, kStreamsPerWriter = 25, kAppendsAfterRestart = 20;
  std::atomic<int> acknowledged{0}, transient{0};
  std::atomic<bool> restarted{false};
  std::mutex mutex;
  std::set<std::string> acknowledged_ids;
  std::vector<std::string> errors;

  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      try {
        auto store = pg_test::retrying([&] { return PgStore::open(server.conninfo(), options); }, transient);
        std::vector<std::uint64_t> versions(kStreamsPerWriter, 0);
        int after_restart = 0;
        for (int i = 0; !(restarted.load() && after_restart >= kAppendsAfterRestart); ++i) {
          const bool counts = restarted.load();  // this append began after the restart
          const int s = i % kStreamsPerWriter;
          const std::string stream = "w" + std::to_string(w) + "/s" + std::to_string(s);
          const int count = 1 + i % 3;
          auto b = pg_test::batch(stream, ExpectedVersion::exact(versions[s]), count);
          const auto expected = versions[s] + static_cast<std::uint64_t>(count);
          try {
            versions[s] = pg_test::retrying([&] { return store->append(b); }, transient);
          } catch (const EngineError& e) {
            if (!e.is_version_conflict()) throw;
            // The connection was lost during a COMMIT that did happen: the retry conflicts with it.
            // Only this writer writes the stream, so the version tells.
            const auto now = pg_test::retrying([&] { return store->stream_version(StreamId(stream)); }, transient);
            if (now != expected) throw;
            versions[s] = now;
          }
          {
            std::lock_guard lock(mutex);
            for (const auto& e : b.events) acknowledged_ids.insert(e.event_id.to_string());
          }
          acknowledged += count;
          if (counts) ++after_restart;
        }
      } catch (const std::exception& e) {
        std::lock_guard lock(mutex);
        errors.push_back("writer " + std::to_string(w) + ": " + e.what());
        restarted = true;  // do not leave the main thread waiting for acknowledgements
      }
    });
  }

  // The crash comes once the writers are well under way (no timer: a count of acknowledged events).
  while (acknowledged.load() < 300 && errors.empty()) std::this_thread::yield();
  server.crash_and_restart();
  restarted = true;
  for (auto& t : writers) t.join();

  INFO("errors: " << Catch::Detail::stringify(errors));
  REQUIRE(errors.empty());
  CHECK(transient.load() > 0);  // the writers did see the server go away

  // Everything acknowledged is there, once, at increasing positions, each stream in sequence. The
  // positions of the transactions the crash cut off are never handed out again: they are gaps.
  auto reader = PgStore::open(server.conninfo(), options);
  const auto all = reader->read_all(0, 1000000);
  CHECK(all.size() == static_cast<std::size_t>(acknowledged.load()));
  std::set<std::string> ids;
  std::map<std::string, std::uint64_t> last;
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (i > 0 && all[i].global_position <= all[i - 1].global_position)
      FAIL("position " << all[i].global_position << " after " << all[i - 1].global_position);
    if (all[i].sequence_number != ++last[all[i].stream_id.str()]) FAIL(all[i].stream_id.str() << " out of sequence");
    ids.insert(all[i].event_id.to_string());
  }
  CHECK(ids == acknowledged_ids);
}

TEST_CASE(
    "postgres: after a server crash, a call on a pooled connection idle since then fails transiently, the next "
    "one works",
    "[postgres][faults][restart]") {
  // libpq reports the first statement on such a connection as "server closed the connection
  // unexpectedly" without a SQLSTATE while PQstatus still says OK: that is a lost connection too.
  pg_test::PrivateServer server;
  auto store = PgStore::open(server.conninfo(), postgres::PgOptions{});
  auto b = pg_test::batch("s/idle", ExpectedVersion::no_stream(), 1);
  store->append(b);  // its connection goes back to the pool, idle
  server.crash_and_restart();
  try {
    store->head_position();
    FAIL("a connection of the crashed server worked");
  } catch (const EngineError& e) {
    CHECK(e.is_transient());
    CHECK_THAT(e.what(), Catch::Contains("connection to the server was lost"));
  }
  CHECK(store->head_position() == 1);  // on a new connection: the dead one was dropped
}
