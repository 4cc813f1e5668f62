// A server crash and restart in the middle of a run, on a private server of this test (other tests
// run on the shared one at the same time): 4 writers keep appending, get transient errors while
// the server is down, reconnect and finish; every append that was acknowledged is in the log, once.
#include <catch2/catch.hpp>

#include <stdlib.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "postgres/pg_test_server.hpp"

using namespace mako;
using mako::postgres::PgStore;

namespace {

// A server started by tools/pg-test-server.sh in a folder of its own, stopped and deleted at the end.
class PrivateServer {
 public:
  PrivateServer() {
    char parent[] = "/tmp/mako-pg-restart.XXXXXX";
    if (!::mkdtemp(parent)) FAIL("mkdtemp failed");
    parent_ = parent;
    std::filesystem::permissions(parent_,
                                 std::filesystem::perms::owner_all | std::filesystem::perms::group_exec |
                                     std::filesystem::perms::others_exec);  // the server user must reach its folder
    dir_ = parent_ + "/pg";
    const std::string line = run_capturing(std::string(MAKO_PG_TEST_SERVER) + " start " + dir_);
    const auto open = line.find('\''), close = line.rfind('\'');
    if (open == std::string::npos || close <= open) FAIL("pg-test-server.sh start printed: " << line);
    conninfo_ = line.substr(open + 1, close - open - 1);
  }
  ~PrivateServer() {
    std::system((std::string(MAKO_PG_TEST_SERVER) + " stop " + dir_ + " >/dev/null 2>&1").c_str());
    std::error_code ec;
    std::filesystem::remove_all(parent_, ec);
  }
  const std::string& conninfo() const { return conninfo_; }
  // Kills the server as a crash would and starts it again (returns once it accepts connections).
  void crash_and_restart() const {
    if (std::system((std::string(MAKO_PG_TEST_SERVER) + " restart " + dir_).c_str()) != 0) FAIL("the restart failed");
  }

 private:
  static std::string run_capturing(const std::string& command) {
    std::string out;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (!pipe) FAIL("cannot run " << command);
    char buffer[512];
    while (std::fgets(buffer, sizeof buffer, pipe)) out += buffer;
    if (::pclose(pipe) != 0) FAIL(command << " failed: " << out);
    return out;
  }
  std::string parent_, dir_, conninfo_;
};

// Repeats `f` while it fails transiently (the server is down or restarting).
template <class F>
auto retrying(F&& f, std::atomic<int>& transient) {
  for (;;) {
    try {
      return f();
    } catch (const EngineError& e) {
      if (!e.is_transient() || e.is_version_conflict()) throw;
      ++transient;
    }
  }
}

}  // namespace

TEST_CASE("postgres: a server crash and restart mid-run: writers reconnect and finish, nothing acknowledged is lost",
          "[postgres][faults][restart]") {
  PrivateServer server;
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
        auto store = retrying([&] { return PgStore::open(server.conninfo(), options); }, transient);
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
            versions[s] = retrying([&] { return store->append(b); }, transient);
          } catch (const EngineError& e) {
            if (!e.is_version_conflict()) throw;
            // The connection was lost during a COMMIT that did happen: the retry conflicts with it.
            // Only this writer writes the stream, so the version tells.
            const auto now = retrying([&] { return store->stream_version(StreamId(stream)); }, transient);
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

  // Everything acknowledged is there, once, at dense positions, each stream in sequence.
  auto reader = PgStore::open(server.conninfo(), options);
  const auto all = reader->read_all(0, 1000000);
  CHECK(all.size() == static_cast<std::size_t>(acknowledged.load()));
  std::set<std::string> ids;
  std::map<std::string, std::uint64_t> last;
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (all[i].global_position != i + 1) FAIL("position " << all[i].global_position << " at index " << i);
    if (all[i].sequence_number != ++last[all[i].stream_id.str()]) FAIL(all[i].stream_id.str() << " out of sequence");
    ids.insert(all[i].event_id.to_string());
  }
  CHECK(ids == acknowledged_ids);
}
