// Bad input and faults: each gives a clear EngineError and loses nothing already committed.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include <mako/sqlite/sqlite_store.hpp>

#include "sqlite/sqlite_db_peek.hpp"
#include "sqlite/test_paths.hpp"

using mako::EngineError;
using mako::sqlite::SqliteOptions;
using mako::sqlite::SqliteStore;

namespace {

mako::CommitBatch one_event(const std::string& stream, std::string text = "x",
                            mako::ExpectedVersion expected = mako::ExpectedVersion::any()) {
  mako::CommitBatch b{mako::StreamId(stream), expected, {}, {}, {}, {}};
  mako::EventEnvelope e;
  e.event_type = "Noted";
  e.payload = mako::Json{{"type", "Noted"}, {"data", {{"text", std::move(text)}}}};
  b.events.push_back(std::move(e));
  return b;
}

// The EngineError a call throws (fails the test when it throws nothing or something else).
template <class F>
EngineError error_of(F&& f) {
  try {
    f();
  } catch (const EngineError& e) {
    return e;
  }
  FAIL("expected an EngineError");
  throw std::logic_error("unreachable");
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

void write_file(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
}

}  // namespace

TEST_CASE("faults: a file that is not a database is refused as Corrupt, naming the path, and left untouched",
          "[sqlite][faults]") {
  const auto path = sqlite_test::fresh_db("notadb");
  const std::string content(4096, 'x');
  write_file(path, "Zählerstand;Datum\n" + content);
  auto e = error_of([&] { SqliteStore::open(path); });
  CHECK(e.kind() == EngineError::Kind::Corrupt);
  CHECK(contains(e.what(), path));
  CHECK(contains(e.what(), "not a SQLite database"));
  CHECK_FALSE(e.is_transient());
  CHECK(std::filesystem::file_size(path) == content.size() + std::string("Zählerstand;Datum\n").size());
}

TEST_CASE("faults: a SQLite file of another application is refused", "[sqlite][faults]") {
  const auto path = sqlite_test::fresh_db("foreign");
  {
    sqlite_test::Peek peek(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    peek.exec("PRAGMA application_id = 42; CREATE TABLE t (x)");
  }
  auto e = error_of([&] { SqliteStore::open(path); });
  CHECK(e.is_invalid_input());
  CHECK(contains(e.what(), "another application"));
}

TEST_CASE("faults: read-only opening reads, refuses writes, a read-only file is not opened for writing",
          "[sqlite][faults]") {
  const auto path = sqlite_test::fresh_db("readonly");
  {
    auto store = SqliteStore::open(path);
    auto b = one_event("s/ro");
    store->append(b);
  }
  SqliteOptions ro;
  ro.read_only = true;
  {
    auto reader = SqliteStore::open(path, ro);
    CHECK(reader->load(mako::StreamId("s/ro")).size() == 1);
    auto b = one_event("s/ro");
    auto e = error_of([&] { reader->append(b); });
    CHECK(e.kind() == EngineError::Kind::Storage);
    CHECK(contains(e.what(), "read-only"));
    CHECK(contains(e.what(), path));
    std::vector<mako::CommitBatch> batches{one_event("s/ro")};
    auto results = reader->append_many(batches);
    REQUIRE(results[0]);
    CHECK(results[0]->kind() == EngineError::Kind::Storage);
    CHECK_THROWS_AS(reader->snapshots()->save(mako::Snapshot{mako::StreamId("s/ro"), 1, 1, mako::Json::object()}),
                    EngineError);
  }
  std::filesystem::permissions(path, std::filesystem::perms::owner_read | std::filesystem::perms::group_read |
                                         std::filesystem::perms::others_read);
  auto e = error_of([&] { SqliteStore::open(path); });
  CHECK(e.kind() == EngineError::Kind::Storage);
  CHECK(contains(e.what(), "read-only"));
  CHECK(contains(e.what(), path));
  CHECK(SqliteStore::open(path, ro)->stream_version(mako::StreamId("s/ro")) == 1);  // nothing lost
  std::filesystem::permissions(path, std::filesystem::perms::owner_write, std::filesystem::perm_options::add);
}

TEST_CASE("faults: a write lock held past the busy timeout is a transient Busy error",
          "[sqlite][faults][concurrency]") {
  const auto path = sqlite_test::fresh_db("busy");
  SqliteOptions options;
  options.busy_timeout = std::chrono::milliseconds(150);
  auto store = SqliteStore::open(path, options);
  auto first = one_event("s/busy");
  store->append(first);

  sqlite_test::Peek other(path);
  REQUIRE(other.exec("BEGIN IMMEDIATE") == SQLITE_OK);  // another connection (could be another process) writes
  auto b = one_event("s/busy");
  const auto t0 = std::chrono::steady_clock::now();
  auto e = error_of([&] { store->append(b); });
  const auto waited = std::chrono::steady_clock::now() - t0;
  CHECK(e.kind() == EngineError::Kind::Busy);
  CHECK(e.is_transient());
  CHECK(e.is_storage_error());
  CHECK(contains(e.what(), "locked"));
  CHECK(waited >= std::chrono::milliseconds(100));  // it waited for the lock before giving up
  std::vector<mako::CommitBatch> many{one_event("s/busy"), one_event("s/other")};
  for (auto& r : store->append_many(many)) {
    REQUIRE(r);
    CHECK(r->kind() == EngineError::Kind::Busy);
  }
  CHECK(store->stream_version(mako::StreamId("s/busy")) == 1);  // readers are not blocked by the writer
  REQUIRE(other.exec("COMMIT") == SQLITE_OK);

  auto retry = one_event("s/busy");
  CHECK(store->append(retry) == 2);  // the retry succeeds
  CHECK(store->load(mako::StreamId("s/busy")).size() == 2);
  CHECK(store->stream_version(mako::StreamId("s/other")) == 0);
}

TEST_CASE("faults: a newer schema is refused with SchemaTooNew naming both versions, an older one migrates",
          "[sqlite][faults][schema]") {
  const auto path = sqlite_test::fresh_db("schema");
  {
    auto store = SqliteStore::open(path);
    CHECK(store->schema_version() == SqliteStore::kSchemaVersion);
    auto b = one_event("s/schema");
    store->append(b);
  }
  {
    sqlite_test::Peek peek(path);
    CHECK(peek.value("PRAGMA user_version") == std::to_string(SqliteStore::kSchemaVersion));
    CHECK(peek.value("PRAGMA application_id") == std::to_string(0x4D414B4F));
    peek.exec("PRAGMA user_version = 7");
  }
  auto e = error_of([&] { SqliteStore::open(path); });
  CHECK(e.kind() == EngineError::Kind::SchemaTooNew);
  CHECK(contains(e.what(), "schema version 7"));
  CHECK(contains(e.what(), "up to " + std::to_string(SqliteStore::kSchemaVersion)));
  CHECK(contains(e.what(), path));
  {
    sqlite_test::Peek peek(path);
    peek.exec("PRAGMA user_version = " + std::to_string(SqliteStore::kSchemaVersion));
  }
  CHECK(SqliteStore::open(path)->stream_version(mako::StreamId("s/schema")) == 1);  // refused, not damaged

  // Version 0: a database mako-engine has not set up yet (an empty SQLite file) migrates on open.
  const auto old = sqlite_test::fresh_db("schema-old");
  {
    sqlite_test::Peek peek(old, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    peek.exec("PRAGMA page_size = 8192; VACUUM");
    CHECK(peek.value("PRAGMA user_version") == "0");
  }
  SqliteOptions ro;
  ro.read_only = true;
  auto needs = error_of([&] { SqliteStore::open(old, ro); });
  CHECK(contains(needs.what(), "needs a migration"));
  auto migrated = SqliteStore::open(old);
  CHECK(migrated->schema_version() == SqliteStore::kSchemaVersion);
  sqlite_test::Peek peek(old);
  CHECK(peek.value("PRAGMA user_version") == std::to_string(SqliteStore::kSchemaVersion));
  CHECK(peek.count(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN "
            "('streams','events','snapshots','outbox','deadlines','registry','inbox','projection_checkpoints')") == 8);
}

TEST_CASE("faults: a full disk is a Storage error, earlier commits stay and the store remains usable",
          "[sqlite][faults]") {
  const auto path = sqlite_test::fresh_db("full");
  SqliteOptions options;
  options.max_pages = 60;  // a quota of 60 pages (240 KiB): the schema takes about 20
  auto store = SqliteStore::open(path, options);
  auto snaps = store->snapshots();
  const mako::StreamId filler("s/filler");
  snaps->save(mako::Snapshot{filler, 1, 1, mako::Json{{"ballast", std::string(40000, 'b')}}});

  const std::string big(3000, 'z');
  std::uint64_t committed = 0;
  std::optional<EngineError> full;
  for (int i = 0; i < 500 && !full; ++i) {
    auto b = one_event("s/full", big);
    b.messages.push_back(
        mako::OutboundMessage{"Send", "r", "APERAK", mako::Json::object(), "key-" + std::to_string(i)});
    try {
      committed = store->append(b);
    } catch (const EngineError& e) {
      full = e;
    }
  }
  REQUIRE(full);
  CHECK(full->kind() == EngineError::Kind::Storage);
  CHECK(contains(full->what(), "full"));
  CHECK(contains(full->what(), path));
  CHECK(committed > 0);
  CHECK(store->stream_version(mako::StreamId("s/full")) == committed);  // the failed commit left nothing
  CHECK(store->load(mako::StreamId("s/full")).size() == committed);
  sqlite_test::Peek peek(path);
  CHECK(peek.count("SELECT count(*) FROM outbox") == static_cast<long long>(committed));

  std::vector<mako::CommitBatch> many{one_event("s/many", big), one_event("s/many", big), one_event("s/many", big)};
  for (auto& r : store->append_many(many)) {
    REQUIRE(r);
    CHECK(r->kind() == EngineError::Kind::Storage);
  }
  CHECK(store->stream_version(mako::StreamId("s/many")) == 0);

  snaps->remove(filler);  // frees pages
  auto after = one_event("s/full", big);
  CHECK(store->append(after) == committed + 1);
  CHECK(store->integrity_check() == "ok");
}

TEST_CASE("faults: a corrupted page gives a clear Corrupt error, not a crash", "[sqlite][faults]") {
  const auto path = sqlite_test::fresh_db("corrupt");
  {
    auto store = SqliteStore::open(path);
    std::vector<mako::CommitBatch> batches;
    for (int i = 0; i < 3000; ++i)
      batches.push_back(one_event("s/c" + std::to_string(i % 7), "event number " + std::to_string(i)));
    store->append_many(batches);
  }  // closing the last connection checkpoints the WAL into the file
  const auto size = std::filesystem::file_size(path);
  REQUIRE(size > 40 * 4096);
  {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>((size / 4096 / 2) * 4096));
    const std::string garbage(4096 * 3, '\xA5');
    f.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
  }
  std::vector<EngineError> errors;
  try {
    auto store = SqliteStore::open(path);
    auto check = store->integrity_check();
    CHECK(check != "ok");
    try {
      store->read_all(0, 1000000);
    } catch (const EngineError& e) {
      errors.push_back(e);
    }
    for (int s = 0; s < 7; ++s) {
      try {
        store->load(mako::StreamId("s/c" + std::to_string(s)));
      } catch (const EngineError& e) {
        errors.push_back(e);
      }
    }
  } catch (const EngineError& e) {
    errors.push_back(e);
  }
  REQUIRE_FALSE(errors.empty());
  for (const auto& e : errors) {
    INFO(e.what());
    CHECK(e.kind() == EngineError::Kind::Corrupt);
    CHECK(contains(e.what(), path));
  }
}

TEST_CASE("faults: a payload that is not valid JSON text fails its batch only, leaving nothing of it",
          "[sqlite][faults]") {
  auto store = SqliteStore::open(sqlite_test::fresh_db("badinput"));
  auto bad = one_event("s/bad", std::string("\xC3\x28 not UTF-8"));
  bad.messages.push_back(mako::OutboundMessage{"Send", "r", "APERAK", mako::Json::object(), "k-bad"});
  auto e = error_of([&] { store->append(bad); });
  CHECK(e.kind() == EngineError::Kind::Serialization);
  CHECK(store->stream_version(mako::StreamId("s/bad")) == 0);
  CHECK(store->list_streams("s/bad", std::nullopt, 10).streams.empty());

  std::vector<mako::CommitBatch> many{one_event("s/ok"), one_event("s/bad", std::string("\xFF")), one_event("s/ok")};
  auto results = store->append_many(many);
  CHECK_FALSE(results[0]);
  REQUIRE(results[1]);
  CHECK(results[1]->kind() == EngineError::Kind::Serialization);
  CHECK_FALSE(results[2]);
  CHECK(store->stream_version(mako::StreamId("s/ok")) == 2);
  CHECK(store->stream_version(mako::StreamId("s/bad")) == 0);
  CHECK(store->head_position() == 2);
}

TEST_CASE("faults: append_many, a batch failing in the middle of its writes is undone alone (savepoint redo)",
          "[sqlite][faults]") {
  // append_many writes batches without savepoints when each is checked before its first write; a
  // failure SQLite raises after some rows of a batch are in (here: a trigger on its second event
  // inserting a value of the wrong type, SQLITE_MISMATCH) must still undo exactly that batch.
  const auto path = sqlite_test::fresh_db("midway");
  auto store = SqliteStore::open(path);
  sqlite_test::add_failing_events_trigger(path, "NEW.payload LIKE '%poison%'");
  auto midway = one_event("s/midway");
  midway.events.push_back(one_event("s/midway", "poison").events.front());
  std::vector<mako::CommitBatch> many{one_event("s/a"), std::move(midway),
                                      one_event("s/a", "x", mako::ExpectedVersion::exact(1)), one_event("s/b")};
  auto results = store->append_many(many);
  CHECK_FALSE(results[0]);
  REQUIRE(results[1]);
  CHECK(results[1]->kind() == EngineError::Kind::InvalidInput);
  CHECK_FALSE(results[2]);
  CHECK_FALSE(results[3]);
  CHECK(store->stream_version(mako::StreamId("s/a")) == 2);
  CHECK(store->stream_version(mako::StreamId("s/midway")) == 0);
  CHECK(store->stream_version(mako::StreamId("s/b")) == 1);
  CHECK(store->head_position() == 3);  // dense: 1, 2, 3
  CHECK(many[2].events[0].sequence_number == 2);
  CHECK(many[3].events[0].global_position == 3);
  sqlite_test::Peek peek(path);
  CHECK(peek.count("SELECT count(*) FROM events") == 3);
  CHECK(peek.count("SELECT max(position) - min(position) + 1 FROM events") == 3);
  CHECK(peek.count("SELECT count(*) FROM deadlines") == 0);
}

TEST_CASE("faults: the writer's stream cache notices commits of another connection and of other writes",
          "[sqlite][faults]") {
  // The writer keeps stream versions and the next position between its transactions; a commit by
  // another connection to the same file (here a second store; another process alike) must not be
  // missed: a stale cache would accept a wrong expected version or reuse positions.
  const auto path = sqlite_test::fresh_db("cache");
  auto a = SqliteStore::open(path);
  auto b = SqliteStore::open(path);
  for (std::uint64_t v = 0; v < 6; ++v) {
    auto& writer = v % 2 == 0 ? *a : *b;
    auto& other = v % 2 == 0 ? *b : *a;
    auto batch = one_event("s/shared", "x", mako::ExpectedVersion::exact(v));
    CHECK(writer.append(batch) == v + 1);
    CHECK(batch.events[0].global_position == v + 1);
    auto stale = one_event("s/shared", "x", mako::ExpectedVersion::exact(v));
    CHECK(error_of([&] { other.append(stale); }).kind() == EngineError::Kind::VersionConflict);
  }
  // A row changed behind the store's back on its own file, by SQL: the next write reads it again.
  {
    sqlite_test::Peek peek(path);
    REQUIRE(peek.exec("UPDATE streams SET version = version") == SQLITE_OK);
  }
  auto next = one_event("s/shared", "x", mako::ExpectedVersion::exact(6));
  CHECK(a->append(next) == 7);
  CHECK(a->head_position() == 7);
}

TEST_CASE("faults: a stored payload that is no longer JSON is Corrupt when read, naming its position",
          "[sqlite][faults]") {
  const auto path = sqlite_test::fresh_db("tampered-payload");
  {
    auto store = SqliteStore::open(path);
    auto first = one_event("s/1", "first");
    auto second = one_event("s/1", "second");
    store->append(first);
    store->append(second);
  }
  sqlite_test::Peek(path).exec("UPDATE events SET payload = '{\"type\": \"Noted\", \"data\": {' WHERE position = 2");
  auto store = SqliteStore::open(path);

  // read_all hands out envelopes whose payloads are parsed when first read: the types and ids of
  // every event are readable, the good payload parses, the tampered one throws on reading.
  const auto all = store->read_all(0, 10);
  REQUIRE(all.size() == 2);
  CHECK(all[1].event_type == "Noted");
  CHECK(all[1].sequence_number == 2);
  CHECK(all[0].payload.json().at("data").at("text") == "first");
  auto lazy = error_of([&] { (void)all[1].payload.json(); });
  CHECK(lazy.kind() == EngineError::Kind::Corrupt);
  CHECK(contains(lazy.what(), "position 2"));
  CHECK(contains(lazy.what(), path));
  // Replay parses as it goes: the same error, from the fold.
  auto eager = error_of([&] { store->fold_stream(mako::StreamId("s/1"), 0, [](const mako::EventEnvelope&) {}); });
  CHECK(eager.kind() == EngineError::Kind::Corrupt);
  CHECK(contains(eager.what(), "position 2"));
}
