// The global order without holes on PostgreSQL: 8 writer processes append to 1,000 streams while a
// projection in this process reads read_all(after, limit) as they commit. The reader must see every
// event exactly once, positions increasing, and each stream's events in sequence (so an event it
// had passed would show as a hole in its stream). Commits overlap; a store whose readers read up to
// the highest committed position instead of the log horizon would let a reader pass a position
// whose transaction commits later.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <map>
#include <set>

#include "postgres/pg_test_server.hpp"

using namespace mako;
using mako::postgres::PgStore;

namespace {
constexpr int kWriters = 8, kStreams = 1000, kRounds = 2;

int events_of(int stream, int round) { return 1 + (stream + round) % 3; }

// One writer process: its own store and connections; streams w, w+8, ... (no conflicts expected).
// Besides single appends, some of its commits are units of work that append twice (one
// transaction, two reservations), and some units append "Phantom" events and roll back: their
// positions are never handed out again, and no reader may ever see those events.
int write_as_child(const std::string& conninfo, const std::string& schema, int w) {
  try {
    auto store = PgStore::open(conninfo, pg_test::options(schema));
    std::map<int, std::uint64_t> versions;
    for (int round = 0; round < kRounds; ++round) {
      for (int s = w; s < kStreams; s += kWriters) {
        const std::string id = "p/" + std::to_string(s);
        if (s % 7 == 3) {
          auto unit = store->begin_work_unit();
          auto phantom = pg_test::batch(id, ExpectedVersion::exact(versions[s]), 2, "Phantom");
          store->append(phantom);
        }  // rolled back
        const int n = events_of(s, round);
        if (s % 5 == 1 && n > 1) {
          auto unit = store->begin_work_unit();
          auto first = pg_test::batch(id, ExpectedVersion::exact(versions[s]), 1);
          auto rest = pg_test::batch(id, ExpectedVersion::exact(store->append(first)), n - 1);
          versions[s] = store->append(rest);
          unit->commit();
          continue;
        }
        auto b = pg_test::batch(id, ExpectedVersion::exact(versions[s]), n);
        versions[s] = store->append(b);
      }
    }
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "writer %d: %s\n", w, e.what());
    return 1;
  }
}
}  // namespace

TEST_CASE("postgres: a tailing reader sees every event of 8 concurrent writer processes exactly once, in order",
          "[postgres][concurrency][order]") {
  const auto schema = pg_test::fresh_schema("global_order");
  const auto conninfo = pg_test::conninfo();
  auto setup = PgStore::open(conninfo, pg_test::options(schema));  // migrates once, before the writers start
  std::uint64_t expected_total = 0;
  for (int round = 0; round < kRounds; ++round)
    for (int s = 0; s < kStreams; ++s) expected_total += static_cast<std::uint64_t>(events_of(s, round));

  std::vector<pid_t> children;
  for (int w = 0; w < kWriters; ++w) {
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) ::_exit(write_as_child(conninfo, schema, w));  // the child touches nothing of Catch
    children.push_back(pid);
  }
  int running = kWriters, failed_writers = 0;
  const auto reap = [&] {  // never blocks: the reader keeps reading while writers run
    for (auto& pid : children) {
      int status = 0;
      if (pid == 0 || ::waitpid(pid, &status, WNOHANG) != pid) continue;
      pid = 0;
      --running;
      if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) ++failed_writers;
    }
  };

  // The projection: runs until the writers are done, then drains. No timing anywhere.
  auto reader = PgStore::open(conninfo, pg_test::options(schema));
  std::uint64_t after = 0, seen = 0;
  std::map<std::string, std::uint64_t> last_sequence;
  std::set<std::string> event_ids;
  std::vector<std::string> errors;
  for (;;) {
    reap();
    const bool writers_done = running == 0;  // known before the page is read: the page then covers every commit
    const auto page = reader->read_all(after, 97);
    for (const auto& e : page) {
      if (e.global_position <= after && errors.size() < 20)
        errors.push_back("reorder: position " + std::to_string(e.global_position) + " after " + std::to_string(after));
      after = e.global_position;
      auto& last = last_sequence[e.stream_id.str()];
      if (e.sequence_number != last + 1 && errors.size() < 20)
        errors.push_back(e.stream_id.str() + ": sequence " + std::to_string(e.sequence_number) + " after " +
                         std::to_string(last));
      last = e.sequence_number;
      if (!event_ids.insert(e.event_id.to_string()).second && errors.size() < 20)
        errors.push_back("seen twice: " + e.event_id.to_string());
      if (e.event_type == "Phantom" && errors.size() < 20)
        errors.push_back("a rolled-back event: " + e.stream_id.str() + " #" + std::to_string(e.sequence_number));
      ++seen;
    }
    if (page.empty() && writers_done) break;
  }

  CHECK(failed_writers == 0);
  INFO("first errors: " << Catch::Detail::stringify(errors));
  CHECK(errors.empty());
  CHECK(seen == expected_total);
  CHECK(setup->head_position() == after);
  CHECK(last_sequence.size() == static_cast<std::size_t>(kStreams));
  for (const auto& [stream, last] : last_sequence) {
    if (setup->stream_version(StreamId(stream)) != last) FAIL(stream << " ends at " << last);
  }
}
