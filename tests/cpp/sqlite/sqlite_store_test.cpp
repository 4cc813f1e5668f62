// What the SQLite store adds to the contract: one durable file with everything a commit carries,
// queryable with plain SQL, shared across threads and processes.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include <mako/sqlite/sqlite_store.hpp>

#include "sqlite/crash_writer_process.hpp"
#include "sqlite/sqlite_db_peek.hpp"
#include "sqlite/test_paths.hpp"

using namespace mako;
using mako::sqlite::Durability;
using mako::sqlite::SqliteOptions;
using mako::sqlite::SqliteStore;

namespace {

const TenantId kTenant = TenantId::from_party_id("9900123456789");
const WorkflowId kWorkflow("gpke-lfw", "FV2025-10-01");

EventEnvelope event_of(const ProcessId& process, const std::string& type, Json data) {
  EventEnvelope e;
  e.event_type = type;
  e.tenant_id = kTenant;
  e.process_id = process;
  e.workflow_id = kWorkflow;
  e.conversation_id = ConversationId(process.uuid());
  e.timestamp = parse_rfc3339("2025-10-01T08:15:30.123456789Z");
  e.payload = Json{{"type", type}, {"data", std::move(data)}};
  return e;
}

CommitBatch commit_for(const ProcessId& process, ExpectedVersion expected) {
  return CommitBatch{StreamId::for_process(kTenant, process), expected, {}, {}, {}, {}};
}

}  // namespace

TEST_CASE("sqlite: durability names parse and format, the store reports its mode and sets the pragmas", "[sqlite]") {
  CHECK(sqlite::parse_durability("durable") == Durability::Durable);
  CHECK(sqlite::parse_durability("relaxed") == Durability::Relaxed);
  CHECK(sqlite::parse_durability("memory") == Durability::Memory);
  CHECK(sqlite::to_string(Durability::Relaxed) == "relaxed");
  CHECK_THROWS_WITH(sqlite::parse_durability("fast"), Catch::Contains("durable, relaxed or memory"));
  CHECK(SqliteOptions{}.durability == Durability::Durable);  // the documented default

  CHECK(SqliteStore::open(":memory:")->durability() == Durability::Memory);
  for (auto mode : {Durability::Durable, Durability::Relaxed, Durability::Memory}) {
    const auto path = sqlite_test::fresh_db("durability");
    SqliteOptions options;
    options.durability = mode;
    auto store = SqliteStore::open(path, options);
    CHECK(store->durability() == mode);
    CHECK(store->path() == path);
    sqlite_test::Peek peek(path);
    CHECK(peek.value("PRAGMA journal_mode") == "wal");
  }
}

TEST_CASE("sqlite: everything survives closing and reopening the file", "[sqlite]") {
  const auto path = sqlite_test::fresh_db("reopen");
  const auto process = ProcessId::generate();
  std::vector<EventEnvelope> written;
  {
    auto store = SqliteStore::open(path);
    auto b = commit_for(process, ExpectedVersion::no_stream());
    b.events.push_back(event_of(process, "Registered", Json{{"malo", "41373559241"}}));
    b.events.push_back(event_of(process, "Activated", Json::object()));
    b.events[1].causation_id = CausationId::generate();
    store->append(b);
    written = b.events;
    store->snapshots()->save(Snapshot{b.stream_id, 2, 3, Json{{"status", "Active"}}});
  }
  auto store = SqliteStore::open(path);
  auto loaded = store->load(StreamId::for_process(kTenant, process));
  REQUIRE(loaded.size() == 2);
  for (std::size_t i = 0; i < 2; ++i) {
    CHECK(loaded[i].to_json_string() == written[i].to_json_string());
    CHECK(loaded[i].global_position == written[i].global_position);
  }
  auto snap = store->snapshots()->load(StreamId::for_process(kTenant, process));
  REQUIRE(snap);
  CHECK(snap->sequence_number == 2);
  CHECK(snap->state_schema_version == 3);
  CHECK(snap->state.dump() == R"({"status":"Active"})");
  store->snapshots()->remove(StreamId::for_process(kTenant, process));
  CHECK_FALSE(store->snapshots()->load(StreamId::for_process(kTenant, process)));
}

TEST_CASE("sqlite: outbox, deadlines and registrations commit atomically with the events", "[sqlite][outbox]") {
  const auto path = sqlite_test::fresh_db("atomic");
  auto store = SqliteStore::open(path);
  const auto process = ProcessId::generate();
  const auto stream = StreamId::for_process(kTenant, process);
  auto b = commit_for(process, ExpectedVersion::no_stream());
  b.events.push_back(event_of(process, "Received", Json{{"malo", "41373559241"}}));
  b.messages.push_back(OutboundMessage{"DispatchAperak", "4012345000023", "APERAK", Json{{"ok", true}}, ""});
  b.deadlines.push_back(DeadlineRequest{"answer", parse_rfc3339("2025-10-02T09:00:00Z"), Json{{"type", "Timeout"}}});
  b.registrations.push_back(RegistryEntry{"malo", "41373559241"});
  b.registrations.push_back(RegistryEntry{"vorgang", "V-1"});
  store->append(b);

  sqlite_test::Peek peek(path);
  auto outbox = peek.rows(
      "SELECT idempotency_key, step, recipient, message_type, json_extract(payload, '$.ok'), status, position FROM outbox");
  REQUIRE(outbox.size() == 1);
  // Without a key the store derives the engine's one from the stream's process and format version.
  CHECK(outbox[0][0] ==
        outbox_idempotency_key(process, "DispatchAperak", "4012345000023", kWorkflow.format_version()).to_string());
  CHECK(outbox[0] == std::vector<std::string>{outbox[0][0], "DispatchAperak", "4012345000023", "APERAK", "1", "pending",
                                              std::to_string(b.events[0].global_position)});
  CHECK(peek.rows("SELECT name, due_ns, json_extract(command, '$.type'), status FROM deadlines") ==
        std::vector<std::vector<std::string>>{
            {"answer", std::to_string(parse_rfc3339("2025-10-02T09:00:00Z").time_since_epoch().count()), "Timeout",
             "pending"}});
  CHECK(
      peek.rows(
          "SELECT r.kind, r.key, r.tenant_id = s.tenant_id, s.stream_id FROM registry r JOIN streams s USING (stream_key) "
          "ORDER BY kind") == std::vector<std::vector<std::string>>{{"malo", "41373559241", "1", stream.str()},
                                                                    {"vorgang", "V-1", "1", stream.str()}});

  // A retried command: same idempotency key (dropped), same deadline name (rescheduled), same registration (kept once).
  auto again = commit_for(process, ExpectedVersion::exact(1));
  again.events.push_back(event_of(process, "Retried", Json::object()));
  again.messages.push_back(
      OutboundMessage{"DispatchAperak", "4012345000023", "APERAK", Json{{"ok", false}}, outbox[0][0]});
  again.deadlines.push_back(
      DeadlineRequest{"answer", parse_rfc3339("2025-10-03T09:00:00Z"), Json{{"type", "Timeout"}}});
  again.registrations.push_back(RegistryEntry{"malo", "41373559241"});
  store->append(again);
  CHECK(peek.count("SELECT count(*) FROM outbox") == 1);
  CHECK(peek.value("SELECT json_extract(payload, '$.ok') FROM outbox") == "1");  // the first one is kept
  CHECK(peek.count("SELECT count(*) FROM deadlines") == 1);
  CHECK(peek.value("SELECT due_ns FROM deadlines") ==
        std::to_string(parse_rfc3339("2025-10-03T09:00:00Z").time_since_epoch().count()));
  CHECK(peek.count("SELECT count(*) FROM registry") == 2);

  // A conflicting commit writes none of it.
  auto stale = commit_for(process, ExpectedVersion::exact(1));
  stale.events.push_back(event_of(process, "Stale", Json::object()));
  stale.messages.push_back(OutboundMessage{"Other", "4012345000023", "UTILMD", Json::object(), "other-key"});
  stale.deadlines.push_back(DeadlineRequest{"other", parse_rfc3339("2025-10-03T09:00:00Z"), Json::object()});
  stale.registrations.push_back(RegistryEntry{"malo", "99999999999"});
  CHECK_THROWS_AS(store->append(stale), EngineError);
  CHECK(peek.count("SELECT count(*) FROM outbox") == 1);
  CHECK(peek.count("SELECT count(*) FROM deadlines") == 1);
  CHECK(peek.count("SELECT count(*) FROM registry") == 2);
  CHECK(peek.count("SELECT count(*) FROM events") == 2);
}

TEST_CASE("sqlite: payloads are queryable JSON, event_log shows the envelope as text", "[sqlite][schema]") {
  const auto path = sqlite_test::fresh_db("query");
  auto store = SqliteStore::open(path);
  const auto process = ProcessId::generate();
  auto b = commit_for(process, ExpectedVersion::no_stream());
  b.events.push_back(event_of(process, "Registered", Json{{"malo", "41373559241"}, {"lieferbeginn", "2025-11-01"}}));
  b.events.push_back(event_of(process, "Activated", Json::object()));
  b.events[0].correlation_id = CorrelationId::from_interchange_ref("A000123");
  store->append(b);
  // An event that deviates from its stream's identity keeps its own values.
  auto odd = commit_for(process, ExpectedVersion::any());
  odd.events.push_back(event_of(process, "Imported", Json::object()));
  odd.events[0].tenant_id = TenantId::from_party_id("9900000000002");
  odd.events[0].workflow_id = WorkflowId("other", "FV2024-04-03");
  store->append(odd);

  sqlite_test::Peek peek(path);
  CHECK(peek.value("SELECT json_extract(payload, '$.data.malo') FROM events WHERE event_type = 'Registered'") ==
        "41373559241");
  auto log = peek.rows(
      "SELECT stream_id, sequence_number, event_id, timestamp, correlation_id, causation_id, conversation_id, "
      "process_id, tenant_id, workflow_name, format_version, event_type, schema_version, payload "
      "FROM event_log ORDER BY position");
  REQUIRE(log.size() == 3);
  const auto& e = b.events[0];
  CHECK(log[0] == std::vector<std::string>{e.stream_id.str(), "1", e.event_id.to_string(), "2025-10-01T08:15:30.123Z",
                                           "e7a32fa6-fd4a-5801-b9e9-205f60a67183", "NULL",
                                           e.conversation_id.to_string(), process.to_string(),
                                           "5699ab15-89c8-5ff7-8ac2-fe77399c5425", "gpke-lfw", "FV2025-10-01",
                                           "Registered", "1", e.payload.json().dump()});
  CHECK(log[2][8] == TenantId::from_party_id("9900000000002").to_string());
  CHECK(log[2][9] == "other");
  CHECK(log[2][10] == "FV2024-04-03");
  // Stored once per stream; only the deviating event has its own columns.
  CHECK(peek.count("SELECT count(*) FROM events WHERE tenant_id IS NULL AND workflow_name IS NULL") == 2);
  auto loaded = store->load(StreamId::for_process(kTenant, process));
  REQUIRE(loaded.size() == 3);
  CHECK(loaded[2].tenant_id == TenantId::from_party_id("9900000000002"));
  CHECK(loaded[2].workflow_id == WorkflowId("other", "FV2024-04-03"));
  CHECK(loaded[1].workflow_id == kWorkflow);
  CHECK(loaded[0].timestamp == e.timestamp);  // nanoseconds kept
}

TEST_CASE("sqlite: readers run while a writer commits, and a visitor's exception leaves the store usable",
          "[sqlite][concurrency]") {
  auto store = SqliteStore::open(sqlite_test::fresh_db("readers"));
  const StreamId stream("s/read");
  std::atomic<bool> done{false};
  std::atomic<int> reads{0};
  // No timing: the writer starts once the readers have read, and writes its second half only after
  // they have read again, so reads and commits interleave however the threads are scheduled.
  auto wait_for_reads = [&](int n) {
    while (reads.load() < n) std::this_thread::yield();
  };
  std::thread writer([&] {
    wait_for_reads(3);
    for (int i = 0; i < 300; ++i) {
      if (i == 150) wait_for_reads(reads.load() + 3);
      CommitBatch b{stream, ExpectedVersion::exact(static_cast<std::uint64_t>(i)), {}, {}, {}, {}};
      b.events.push_back(event_of(ProcessId::generate(), "N", Json{{"i", i}}));
      store->append(b);
    }
    done = true;
  });
  std::vector<std::thread> readers;
  for (int t = 0; t < 3; ++t)
    readers.emplace_back([&] {
      while (!done) {
        std::uint64_t seen = 0;
        store->fold_stream(stream, 0, [&](const EventEnvelope& e) { REQUIRE(e.sequence_number == ++seen); });
        REQUIRE(store->head_position() >= seen);  // a later read never goes back
        ++reads;
      }
    });
  writer.join();
  for (auto& r : readers) r.join();
  CHECK(reads.load() >= 6);
  CHECK(store->stream_version(stream) == 300);

  CHECK_THROWS_WITH(store->fold_stream(stream, 0,
                                       [](const EventEnvelope& e) {
                                         if (e.sequence_number == 10) throw std::runtime_error("visitor stops");
                                       }),
                    "visitor stops");
  CommitBatch b{stream, ExpectedVersion::exact(300), {}, {}, {}, {}};
  b.events.push_back(event_of(ProcessId::generate(), "N", Json::object()));
  CHECK(store->append(b) == 301);
  CHECK(store->load_from(stream, 299).size() == 2);
}

TEST_CASE("sqlite: writer processes racing on one stream give contiguous sequences and conflicts",
          "[sqlite][concurrency]") {
  const auto path = sqlite_test::fresh_db("processes");
  SqliteStore::open(path);  // create the schema once
  constexpr int kWriters = 4, kAppends = 60;
  std::vector<pid_t> pids;
  std::vector<int> pipes;
  for (int w = 0; w < kWriters; ++w) {
    const auto child =
        sqlite_test::spawn_crash_writer({path, "race", "w" + std::to_string(w), std::to_string(kAppends)});
    pids.push_back(child.pid);
    pipes.push_back(child.out);
  }
  int conflicts = 0;
  for (int w = 0; w < kWriters; ++w) {
    std::string out;
    char buf[256];
    for (ssize_t r; (r = ::read(pipes[w], buf, sizeof buf)) > 0;) out.append(buf, static_cast<std::size_t>(r));
    ::close(pipes[w]);
    int status = 0;
    ::waitpid(pids[w], &status, 0);
    INFO(out);
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) == 0);
    int written = 0, c = 0, busy = 0;
    REQUIRE(std::sscanf(out.c_str(), "done %d %d %d", &written, &c, &busy) == 3);
    CHECK(written == kAppends);
    conflicts += c;
  }
  auto store = SqliteStore::open(path);
  auto events = store->load(StreamId("race/shared"));
  REQUIRE(events.size() == kWriters * kAppends);
  std::map<std::string, int> per_writer;
  for (std::size_t i = 0; i < events.size(); ++i) {
    REQUIRE(events[i].sequence_number == i + 1);
    REQUIRE(events[i].global_position == i + 1);
    ++per_writer[events[i].payload.json()["data"]["writer"].get<std::string>()];
  }
  for (auto& [writer, n] : per_writer) CHECK(n == kAppends);
  WARN("4 writer processes, " << kWriters * kAppends << " appends, " << conflicts << " version conflicts");
}
