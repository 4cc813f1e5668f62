// A closed SQLite file is self-contained: close() (and the destructor) write the WAL back into the
// .sqlite file, so the file alone -- copied, archived, put on read-only media -- holds every event.
// Also: a file in WAL mode without its schema (a copy made without its -wal) is reported as such
// and never written to, and read-only media can be read.
#include <catch2/catch.hpp>

#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <functional>

#include <mako/core/engine.hpp>
#include <mako/sqlite/event_columns.hpp>
#include <mako/sqlite/sqlite_store.hpp>

#include <mako/core/lifecycle_workflow.hpp>
#include "sqlite/sqlite_db_peek.hpp"
#include "sqlite/test_paths.hpp"

using namespace mako;
namespace fs = std::filesystem;

namespace {

const WorkflowId kWorkflow("lifecycle", "FV2025-10-01");
const TenantId kTenant = TenantId::from_party_id("9900123456789");

std::uintmax_t size_or_zero(const fs::path& p) {
  std::error_code ec;
  const auto n = fs::file_size(p, ec);
  return ec ? 0 : n;
}

// Copies the database file alone, as a user copying "the .sqlite file" would.
std::string copy_alone(const std::string& db, const std::string& name) {
  const auto copy = sqlite_test::fresh_db(name);
  fs::copy_file(db, copy, fs::copy_options::overwrite_existing);
  return copy;
}

std::uint64_t events_in(const std::string& path) {
  sqlite::SqliteOptions options;
  options.read_only = true;
  return sqlite::SqliteStore::open(path, options)->head_position();
}

// Processes with a process cache, as market participants run them: the cached processes hold the
// engine's services, so the store is never destroyed by itself (and so never checkpointed).
std::uint64_t run_processes(const EngineContext& ctx, int processes) {
  std::uint64_t events = 0;
  for (int i = 0; i < processes; ++i) {
    auto p = ctx.spawn<lifecycle::Workflow>(kTenant, kWorkflow);
    p.execute(lifecycle::Register{"MaLo " + std::to_string(i)});
    p.execute(lifecycle::Activate{});
    events += 2;
  }
  return events;
}

// Runs `body` in a child process and returns its exit status (0 = it passed). A child cannot
// report Catch2 failures, so it prints what went wrong and exits non-zero.
int in_child(const std::function<int()>& body) {
  std::fflush(nullptr);
  const pid_t pid = ::fork();
  if (pid == 0) {
    int code = 99;
    try {
      code = body();
    } catch (const std::exception& e) {
      std::fprintf(stderr, "child: %s\n", e.what());
      code = 98;
    }
    std::fflush(nullptr);
    ::_exit(code);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 97;
}

// Makes `dir` read-only for the calling (child) process as media are: a read-only bind mount in a
// private mount namespace; where that is not allowed, the directory and its files lose their write
// permission and a root child becomes `nobody` (root ignores permission bits). Returns how.
std::string make_read_only(const fs::path& dir) {
  if (::unshare(CLONE_NEWNS) == 0 && ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) == 0 &&
      ::mount(dir.c_str(), dir.c_str(), nullptr, MS_BIND, nullptr) == 0 &&
      ::mount(nullptr, dir.c_str(), nullptr, MS_REMOUNT | MS_BIND | MS_RDONLY, nullptr) == 0)
    return "read-only bind mount";
  for (const auto& e : fs::directory_iterator(dir)) ::chmod(e.path().c_str(), 0444);
  ::chmod(dir.c_str(), 0555);
  if (::geteuid() == 0) {
    if (::setgid(65534) != 0 || ::setuid(65534) != 0) throw std::runtime_error("cannot become nobody");
    return "read-only directory, as nobody";
  }
  return "read-only directory";
}

// A directory every user can enter (the read-only child may run as nobody).
fs::path public_dir(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("mako-ro-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  ::chmod(dir.c_str(), 0755);
  return dir;
}

}  // namespace

TEST_CASE("sqlite close: the .sqlite file alone holds every event, the -wal is gone", "[sqlite][close]") {
  const auto db = sqlite_test::fresh_db("close");
  auto store = sqlite::SqliteStore::open(db);
  auto ctx =
      EngineBuilder().with_event_store(store).with_snapshot_store(store->snapshots()).with_process_cache(64).build();
  const auto written = run_processes(ctx, 40);
  // Before close everything is in the WAL (the schema too): the file alone holds nothing yet.
  CHECK(size_or_zero(db + "-wal") > 0);

  ctx.close();
  CHECK(store->closed());
  CHECK(size_or_zero(db + "-wal") == 0);
  CHECK(events_in(copy_alone(db, "close-copy")) == written);
  // close is idempotent; the store refuses every later use with a clear error.
  CHECK_NOTHROW(store->close());
  try {
    store->head_position();
    FAIL("a closed store must refuse reads");
  } catch (const EngineError& e) {
    CHECK(e.is_invalid_input());
    CHECK_THAT(e.what(), Catch::Matchers::Contains("closed"));
  }
  auto p = ctx.spawn<lifecycle::Workflow>(kTenant, kWorkflow);
  CHECK_THROWS_AS(p.execute(lifecycle::Register{"late"}), EngineError);
  CHECK_THROWS_AS(store->snapshots()->load(StreamId("process/x/y")), EngineError);
  CHECK(events_in(db) == written);  // nothing was written after close
}

TEST_CASE("sqlite close: letting go of the last owner closes and checkpoints the file", "[sqlite][close]") {
  const auto db = sqlite_test::fresh_db("close-dtor");
  std::uint64_t written = 0;
  {
    auto store = sqlite::SqliteStore::open(db);
    auto ctx = EngineBuilder().with_event_store(store).with_snapshot_store(store->snapshots()).build();
    written = run_processes(ctx, 10);
  }
  CHECK(size_or_zero(db + "-wal") == 0);
  CHECK(events_in(copy_alone(db, "close-dtor-copy")) == written);
}

TEST_CASE("sqlite close: refused inside the thread's own unit of work", "[sqlite][close]") {
  auto store = sqlite::SqliteStore::open(sqlite_test::fresh_db("close-unit"));
  auto unit = store->begin_work_unit();
  CHECK_THROWS_AS(store->close(), EngineError);
  unit->commit();
  CHECK_NOTHROW(store->close());
}

TEST_CASE("sqlite: a young database copied while open holds its schema", "[sqlite][close]") {
  // The engine commits the schema before it switches the file to WAL, so even a copy of a file
  // whose events are all still in the -wal opens (with the events checkpointed so far).
  const auto db = sqlite_test::fresh_db("young");
  auto store = sqlite::SqliteStore::open(db);
  auto ctx = EngineBuilder().with_event_store(store).build();
  const auto written = run_processes(ctx, 3);
  const auto copy = copy_alone(db, "young-copy");
  CHECK(events_in(copy) <= written);
  CHECK_NOTHROW(sqlite::SqliteStore::open(copy));
}

TEST_CASE("sqlite: a file in WAL mode without its schema says a -wal is missing, and is not written to",
          "[sqlite][close]") {
  // What a copy of an older engine's young file (schema only in the -wal) looks like: made here
  // with SQLite directly, the copy taken while the -wal still holds everything.
  const auto db = sqlite_test::fresh_db("shell");
  sqlite_test::Peek writer(db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  writer.rows("PRAGMA journal_mode = WAL");
  writer.rows("CREATE TABLE events (x)");
  const auto copy = copy_alone(db, "shell-copy");
  const auto bytes_before = size_or_zero(copy);
  REQUIRE(bytes_before == 4096);
  sqlite::SqliteOptions read_only;
  read_only.read_only = true;
  try {
    sqlite::SqliteStore::open(copy, read_only);
    FAIL("the copy has no schema");
  } catch (const EngineError& e) {
    CHECK_THAT(e.what(),
               Catch::Matchers::Contains("without its -wal file") && !Catch::Matchers::Contains("once for writing"));
  }
  try {
    sqlite::HistoryReader reader(copy);
    FAIL("the copy has no schema");
  } catch (const EngineError& e) {
    CHECK_THAT(e.what(), Catch::Matchers::Contains("without its -wal file"));
  }
  try {
    sqlite::SqliteStore::open(copy);
    FAIL("a writable open would have started an empty database");
  } catch (const EngineError& e) {
    CHECK(e.kind() == EngineError::Kind::Storage);
    CHECK_THAT(e.what(), Catch::Matchers::Contains("without its -wal file") && Catch::Matchers::Contains("delete it"));
  }
  CHECK(size_or_zero(copy) == bytes_before);
  CHECK(sqlite_test::Peek(copy).value("PRAGMA user_version") == "0");
  CHECK(sqlite_test::Peek(copy).value("SELECT count(*) FROM sqlite_master") == "0");
}

TEST_CASE("sqlite: a closed database on read-only media opens read-only (store and history reader)",
          "[sqlite][read-only]") {
  const fs::path dir = public_dir("media");
  const auto db = (dir / "archive.sqlite").string();
  std::uint64_t written = 0;
  {
    auto store = sqlite::SqliteStore::open(db);
    written = run_processes(EngineBuilder().with_event_store(store).build(), 5);
    store->close();
  }
  REQUIRE_FALSE(fs::exists(db + "-wal"));
  const int status = in_child([&] {
    const auto how = make_read_only(dir);
    if (::access(dir.c_str(), W_OK) == 0) {
      std::fprintf(stderr, "child: %s left the directory writable\n", how.c_str());
      return 2;
    }
    sqlite::SqliteOptions options;
    options.read_only = true;
    auto store = sqlite::SqliteStore::open(db, options);
    if (store->head_position() != written || store->integrity_check() != "ok") return 3;
    sqlite::HistoryReader reader(db);
    if (reader.events({}).rows != written) return 4;
    // Opening it for writing is refused with the read-only advice, not "unable to open".
    try {
      sqlite::SqliteStore::open(db);
      return 5;
    } catch (const EngineError& e) {
      if (std::string(e.what()).find("read_only") == std::string::npos) {
        std::fprintf(stderr, "child: %s\n", e.what());
        return 6;
      }
    }
    return 0;
  });
  CHECK(status == 0);
  fs::permissions(dir, fs::perms::owner_all);
  fs::remove_all(dir);
}

TEST_CASE("sqlite: on read-only media, commits left in a -wal are reported, not skipped", "[sqlite][read-only]") {
  const fs::path dir = public_dir("media-wal");
  const auto db = (dir / "unclean.sqlite").string();
  auto store = sqlite::SqliteStore::open(sqlite_test::fresh_db("unclean-source"));
  run_processes(EngineBuilder().with_event_store(store).build(), 3);
  // The file and its -wal as an engine that was not closed leaves them (without a -shm).
  fs::copy_file(store->path(), db);
  fs::copy_file(store->path() + "-wal", db + "-wal");
  const int status = in_child([&] {
    make_read_only(dir);
    sqlite::SqliteOptions options;
    options.read_only = true;
    try {
      sqlite::SqliteStore::open(db, options)->head_position();
      return 2;
    } catch (const EngineError& e) {
      const std::string what = e.what();
      if (what.find("-wal") == std::string::npos || what.find("read-only directory") == std::string::npos) {
        std::fprintf(stderr, "child: %s\n", e.what());
        return 3;
      }
    }
    return 0;
  });
  CHECK(status == 0);
  fs::permissions(dir, fs::perms::owner_all);
  fs::remove_all(dir);
}
