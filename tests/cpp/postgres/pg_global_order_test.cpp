// The global order without holes on PostgreSQL: 8 writers (each its own store, as separate engine
// processes would be) append to 1,000 streams while a projection reads read_all(after, limit) as
// they commit. The reader must see every event exactly once, positions without a gap, and each
// stream's events in sequence. A store that numbered events without its append lock (a sequence)
// would let a reader pass a position whose transaction commits later.
#include <catch2/catch.hpp>

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "postgres/pg_test_server.hpp"

using namespace mako;
using mako::postgres::PgStore;

TEST_CASE("postgres: a tailing reader sees every event of 8 concurrent writers exactly once, without gaps",
          "[postgres][concurrency][order]") {
  const auto schema = pg_test::fresh_schema("global_order");
  constexpr int kWriters = 8, kStreams = 1000, kRounds = 2;
  auto setup = PgStore::open(pg_test::conninfo(), pg_test::options(schema));  // migrates once

  std::atomic<int> writers_running{kWriters};
  std::atomic<std::uint64_t> appended{0};
  std::mutex errors_mutex;
  std::vector<std::string> errors;
  const auto record = [&](const std::string& what) {
    std::lock_guard lock(errors_mutex);
    if (errors.size() < 20) errors.push_back(what);
  };

  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      try {
        auto store = PgStore::open(pg_test::conninfo(), pg_test::options(schema));
        std::map<int, std::uint64_t> versions;
        for (int round = 0; round < kRounds; ++round) {
          for (int s = w; s < kStreams; s += kWriters) {  // each writer owns its streams: no conflicts expected
            const int count = 1 + (s + round) % 3;
            auto b = pg_test::batch("p/" + std::to_string(s), ExpectedVersion::exact(versions[s]), count);
            versions[s] = store->append(b);
            appended += static_cast<std::uint64_t>(count);
          }
        }
      } catch (const std::exception& e) {
        record(std::string("writer: ") + e.what());
      }
      --writers_running;
    });
  }

  // The projection: runs until the writers are done, then drains. No timing anywhere.
  std::uint64_t after = 0, seen = 0;
  std::map<std::string, std::uint64_t> last_sequence;
  std::set<std::string> event_ids;
  try {
    auto reader = PgStore::open(pg_test::conninfo(), pg_test::options(schema));
    for (;;) {
      const bool writers_done = writers_running.load() == 0;  // read before the page: the page then covers every commit
      const auto page = reader->read_all(after, 97);
      for (const auto& e : page) {
        if (e.global_position != after + 1)
          record("gap or reorder: position " + std::to_string(e.global_position) + " after " + std::to_string(after));
        after = e.global_position;
        auto& last = last_sequence[e.stream_id.str()];
        if (e.sequence_number != last + 1)
          record(e.stream_id.str() + ": sequence " + std::to_string(e.sequence_number) + " after " + std::to_string(last));
        last = e.sequence_number;
        if (!event_ids.insert(e.event_id.to_string()).second) record("seen twice: " + e.event_id.to_string());
        ++seen;
      }
      if (page.empty() && writers_done) break;
    }
  } catch (const std::exception& e) {
    record(std::string("reader: ") + e.what());
  }
  for (auto& t : writers) t.join();

  INFO("first errors: " << Catch::Detail::stringify(errors));
  CHECK(errors.empty());
  CHECK(appended.load() > 0);
  CHECK(seen == appended.load());
  CHECK(setup->head_position() == appended.load());
  CHECK(last_sequence.size() == static_cast<std::size_t>(kStreams));
  for (const auto& [stream, last] : last_sequence) {
    if (setup->stream_version(StreamId(stream)) != last) FAIL(stream << " ends at " << last);
  }
}
