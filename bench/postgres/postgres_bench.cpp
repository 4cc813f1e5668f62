// PostgreSQL store benchmarks, measured side by side with raw libpq on the same server and in the
// same run: what the server can do with the same rows is the yardstick of what the store does.
//   bench_postgres [results.md]   appends a markdown section (to stdout without an argument)
//   bench_postgres --lifecycle STREAMS COMMANDS REPLAY
//       the C++ lifecycle workflow on the store, one commit per command: prints "<commands/s>
//       <replay events/s>" for bench/python/bench_postgres.py, which measures the Python
//       `eventsourcing` library on the same server in the same run.
// The server: MAKO_BENCH_PG (a libpq connection string), else MAKO_TEST_PG. bench/run.sh starts a
// throw-away one with fsync on. Each measurement writes into a schema of its own (bench_<pid>_*),
// dropped at the end.
#include <libpq-fe.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <latch>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <mako/core/engine.hpp>
#include <mako/core/lifecycle_workflow.hpp>
#include <mako/postgres/pg_store.hpp>

#include "counter_events.hpp"
#include "counter_workflow.hpp"
#include "postgres_server.hpp"

using namespace mako;
using mako::postgres::PgStore;
using Steady = std::chrono::steady_clock;

namespace {

using Counter = counter::Workflow;

using bench::best_of;
using bench::commit_of;
using bench::counter_event;
using bench::kTenant;
using bench::kWorkflow;
using bench::seconds_since;
const WorkflowId kLifecycle("lifecycle", "FV2025-10-01");

std::string g_conninfo;
std::vector<std::string> g_schemas;  // dropped at the end

// A plain libpq connection: the raw baselines and the server's settings.
class Raw {
 public:
  explicit Raw(const std::string& schema = "") : c_(PQconnectdb(g_conninfo.c_str())) {
    if (PQstatus(c_) != CONNECTION_OK) {
      const std::string why = PQerrorMessage(c_);
      PQfinish(c_);
      throw std::runtime_error("cannot connect to the server: " + why);
    }
    PQsetNoticeProcessor(c_, [](void*, const char*) {}, nullptr);  // "schema ... does not exist, skipping"
    if (!schema.empty()) exec("SET search_path TO " + schema);
  }
  ~Raw() { PQfinish(c_); }
  Raw(const Raw&) = delete;
  Raw& operator=(const Raw&) = delete;

  // Runs SQL; returns the first column of the first row ("" when there is none).
  std::string exec(const std::string& sql) { return first(PQexec(c_, sql.c_str()), sql); }
  void prepare(const std::string& name, const std::string& sql) {
    first(PQprepare(c_, name.c_str(), sql.c_str(), 0, nullptr), sql);
  }
  void run(const std::string& name, const std::vector<const char*>& values) {
    first(PQexecPrepared(c_, name.c_str(), static_cast<int>(values.size()), values.data(), nullptr, nullptr, 0), name);
  }
  void run_sql(const std::string& sql, const std::vector<const char*>& values) {
    first(PQexecParams(c_, sql.c_str(), static_cast<int>(values.size()), nullptr, values.data(), nullptr, nullptr, 0),
          sql.substr(0, 60));
  }
  // COPY ... FROM STDIN with `data` in text format.
  void copy(const std::string& sql, const std::string& data) {
    PGresult* r = PQexec(c_, sql.c_str());
    const bool ok = PQresultStatus(r) == PGRES_COPY_IN;
    PQclear(r);
    if (!ok || PQputCopyData(c_, data.data(), static_cast<int>(data.size())) != 1 || PQputCopyEnd(c_, nullptr) != 1)
      throw std::runtime_error(sql + ": " + PQerrorMessage(c_));
    first(PQgetResult(c_), sql);
    while (PGresult* more = PQgetResult(c_)) PQclear(more);
  }

 private:
  std::string first(PGresult* r, const std::string& what) {
    const auto status = PQresultStatus(r);
    std::string out;
    if (status == PGRES_TUPLES_OK && PQntuples(r) > 0 && PQnfields(r) > 0) out = PQgetvalue(r, 0, 0);
    const std::string error = PQresultErrorMessage(r);
    PQclear(r);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) throw std::runtime_error(what + ": " + error);
    return out;
  }
  PGconn* c_;
};

// A schema of this run, with the store's tables (created by PgStore::open, so the raw baselines
// write into the same tables, indexes and constraints as the store).
std::string fresh_schema(const std::string& name) {
  const std::string schema = "bench_" + std::to_string(::getpid()) + "_" + name;
  Raw().exec("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
  g_schemas.push_back(schema);
  return schema;
}

std::shared_ptr<PgStore> open_store(const std::string& schema) {
  postgres::PgOptions o;
  o.schema = schema;
  return PgStore::open(g_conninfo, o);
}

std::string tables(const std::string& name) {
  const auto schema = fresh_schema(name);
  open_store(schema)->close();
  return schema;
}

// --- the raw baselines: the same rows, straight into the same tables ---------------------------

constexpr int kColumns = 15;
const std::string kPayload = R"({"type":"Incremented","data":{"by":1}})";
const std::string kConversation = Uuid::v4().to_string();

// The store's INSERT (commit_writer.cpp) for `rows` rows.
std::string insert_sql(int rows) {
  std::string sql =
      "INSERT INTO events (stream_key, sequence, event_id, event_type, schema_version, timestamp_ns, correlation_id, "
      "causation_id, conversation_id, tenant_id, process_id, workflow_name, format_version, payload, position) VALUES ";
  int p = 1;
  for (int r = 0; r < rows; ++r) {
    sql += r ? ",(" : "(";
    for (int col = 0; col < kColumns; ++col) {
      if (col) sql += ',';
      sql += '$' + std::to_string(p++);
      if (col == 13) sql += "::json";
    }
    sql += ')';
  }
  return sql;
}

// The column values of one event row as the store sends them (text; causation_id NULL).
struct RowValues {
  std::string v[kColumns];
  void fill(std::int64_t stream_key, std::int64_t sequence, std::int64_t position) {
    v[0] = std::to_string(stream_key);
    v[1] = std::to_string(sequence);
    v[2] = Uuid::v4().to_string();
    v[3] = "Incremented";
    v[4] = "1";
    v[5] = std::to_string(system_now().time_since_epoch().count());
    v[6] = Uuid::v4().to_string();
    v[8] = kConversation;
    v[9] = kTenant.uuid().to_string();
    v[10] = kConversation;
    v[11] = kWorkflow.name();
    v[12] = kWorkflow.format_version().to_string();
    v[13] = kPayload;
    v[14] = std::to_string(position);
  }
  void push(std::vector<const char*>& out) const {
    for (int col = 0; col < kColumns; ++col) out.push_back(col == 7 ? nullptr : v[col].c_str());
  }
  void copy_line(std::string& out) const {  // COPY text format; the values hold no tab, newline or backslash
    for (int col = 0; col < kColumns; ++col) {
      if (col) out += '\t';
      out += col == 7 ? "\\N" : v[col];
    }
    out += '\n';
  }
};

// Stream rows <prefix>1..<prefix>N (identity as the store writes it); returns the first one's
// stream_key, the others following it.
std::int64_t make_streams(Raw& raw, int n, const std::string& prefix = "s") {
  raw.exec("BEGIN; LOCK TABLE streams IN EXCLUSIVE MODE");  // consecutive keys also with concurrent writers
  raw.exec(
      "INSERT INTO streams (stream_id, version, tenant_id, process_id, workflow_name, format_version, created_at_ns, "
      "updated_at_ns) SELECT '" +
      prefix + "' || g, 0, '" + kTenant.uuid().to_string() + "', '" + kConversation +
      "', 'counter', 'FV2025-10-01', 0, 0 FROM generate_series(1, " + std::to_string(n) + ") g");
  const auto key = std::stoll(raw.exec("SELECT stream_key FROM streams WHERE stream_id = '" + prefix + "1'"));
  raw.exec("COMMIT");
  return key;
}

// Single-row durable commits, one connection, into one stream: `explicit_tx` false sends one
// prepared INSERT per commit (autocommit: one round trip, one WAL flush -- the least a durable
// commit of this row costs); true sends BEGIN, the INSERT, COMMIT (three round trips).
class RawCommits {
 public:
  RawCommits(const std::string& schema, bool explicit_tx, const std::string& stream = "s")
      : raw_(schema), explicit_(explicit_tx) {
    key_ = make_streams(raw_, 1, stream);
    raw_.prepare("one", insert_sql(1));
  }
  double rate(double budget_s, std::int64_t position_base = 0) {
    long n = 0;
    RowValues row;
    std::vector<const char*> values;
    auto t0 = Steady::now();
    while (n % 16 != 0 || seconds_since(t0) < budget_s) {
      ++next_;
      row.fill(key_, next_, position_base + next_);
      values.clear();
      row.push(values);
      if (explicit_) raw_.exec("BEGIN");
      raw_.run("one", values);
      if (explicit_) raw_.exec("COMMIT");
      ++n;
    }
    return n / seconds_since(t0);
  }

 private:
  Raw raw_;
  bool explicit_;
  std::int64_t key_ = 0;
  std::int64_t next_ = 0;
};

// Round trips per second on one connection (a prepared `SELECT 1`): what each statement the store
// sends costs at least, on this machine at this moment.
double round_trip_rate(double budget_s) {
  Raw raw;
  raw.prepare("ping", "SELECT 1");
  long n = 0;
  auto t0 = Steady::now();
  while (n % 64 != 0 || seconds_since(t0) < budget_s) {
    raw.run("ping", {});
    ++n;
  }
  return n / seconds_since(t0);
}

// `rows` rows round-robin over `streams` streams, sent `per_tx` rows per transaction (BEGIN,
// statements, COMMIT), each transaction durable. copy: one COPY per transaction instead of
// multi-row INSERTs of up to 1,000 rows (the store's statement size).
double raw_ingest_rate(const std::string& name, long rows, int streams, long per_tx, bool copy) {
  Raw raw(tables(name));
  const std::int64_t key = make_streams(raw, streams);
  std::vector<RowValues> all(static_cast<std::size_t>(rows));
  for (long i = 0; i < rows; ++i) all[static_cast<std::size_t>(i)].fill(key + i % streams, i / streams + 1, i + 1);
  std::vector<const char*> values;
  std::string data;
  raw.prepare("many", insert_sql(1000));
  auto t0 = Steady::now();
  for (long begin = 0; begin < rows; begin += per_tx) {
    const long end = std::min(rows, begin + per_tx);
    raw.exec("BEGIN");
    if (copy) {
      data.clear();
      for (long i = begin; i < end; ++i) all[static_cast<std::size_t>(i)].copy_line(data);
      raw.copy(
          "COPY events (stream_key, sequence, event_id, event_type, schema_version, timestamp_ns, correlation_id, "
          "causation_id, conversation_id, tenant_id, process_id, workflow_name, format_version, payload, position) "
          "FROM STDIN",
          data);
    } else {
      for (long s = begin; s < end; s += 1000) {
        const long e = std::min(end, s + 1000);
        values.clear();
        for (long i = s; i < e; ++i) all[static_cast<std::size_t>(i)].push(values);
        if (e - s == 1000) raw.run("many", values);
        else raw.run_sql(insert_sql(static_cast<int>(e - s)), values);
      }
    }
    raw.exec("COMMIT");
  }
  return rows / seconds_since(t0);
}

// --- the store ---------------------------------------------------------------------------------

// Single-event commits per second through PgStore::append to one stream.
double append_rate(PgStore& store, const ProcessId& process, double budget_s) {
  long n = 0;
  auto t0 = Steady::now();
  while (n % 16 != 0 || seconds_since(t0) < budget_s) {
    auto b = commit_of(process);
    store.append(b);
    ++n;
  }
  return n / seconds_since(t0);
}

// Events per second via append_many: `total` commits of `events` events in calls of `group` commits
// over `streams` streams; batches are built outside the clock. in_unit: all calls in one unit of work.
double ingest_rate(const std::string& name, long total, int group, int streams, int events = 1, bool in_unit = false) {
  auto store = open_store(fresh_schema(name));
  std::vector<ProcessId> processes(static_cast<std::size_t>(streams));
  std::vector<std::vector<CommitBatch>> calls;
  long made = 0;
  for (long done = 0; done < total; done += static_cast<long>(group) * events) {
    auto& batches = calls.emplace_back();
    for (int i = 0; i < group; ++i, ++made)
      batches.push_back(commit_of(processes[static_cast<std::size_t>(made % streams)], events));
  }
  auto t0 = Steady::now();
  std::unique_ptr<WorkUnit> unit;
  if (in_unit) unit = store->begin_work_unit();
  for (auto& batches : calls)
    for (const auto& r : store->append_many(batches))
      if (r) throw std::runtime_error("append_many refused a batch: " + std::string(r->what()));
  if (unit) unit->commit();
  return static_cast<double>(made) * events / seconds_since(t0);
}

// `writers` threads, each with its own PgStore::open (its own connections) on one schema, append
// single-event commits to a stream of their own for `budget_s`: commits per second of all together.
double writers_rate(const std::string& schema, int writers, double budget_s) {
  std::vector<std::shared_ptr<PgStore>> stores;
  for (int i = 0; i < writers; ++i) stores.push_back(open_store(schema));
  std::vector<long> counts(static_cast<std::size_t>(writers));
  std::latch ready(writers + 1);
  std::atomic<bool> failed{false};
  Steady::time_point t0, stop;
  std::vector<std::thread> threads;
  for (int w = 0; w < writers; ++w)
    threads.emplace_back([&, w] {
      ProcessId process;
      ready.arrive_and_wait();
      long n = 0;
      try {
        while (Steady::now() < stop) {
          auto b = commit_of(process);
          stores[static_cast<std::size_t>(w)]->append(b);
          ++n;
        }
      } catch (const std::exception& e) {
        std::cerr << "writer " << w << ": " << e.what() << "\n";
        failed = true;
      }
      counts[static_cast<std::size_t>(w)] = n;
    });
  t0 = Steady::now();
  stop = t0 + std::chrono::duration_cast<Steady::duration>(std::chrono::duration<double>(budget_s));
  ready.arrive_and_wait();
  for (auto& t : threads) t.join();
  const double elapsed = seconds_since(t0);
  if (failed) throw std::runtime_error("a writer failed");
  long total = 0;
  for (long c : counts) total += c;
  return total / elapsed;
}

// The same with raw connections: autocommit single-row INSERTs (the server's own scaling with
// concurrent committers: group commit of the WAL flush, no ordering of positions).
double raw_writers_rate(const std::string& schema, int writers, double budget_s) {
  static int calls = 0;  // stream names and positions of their own per call
  ++calls;
  std::vector<std::unique_ptr<RawCommits>> conns;
  for (int i = 0; i < writers; ++i)
    conns.push_back(
        std::make_unique<RawCommits>(schema, false, "w" + std::to_string(calls) + "_" + std::to_string(i) + "_"));
  std::vector<double> rates(static_cast<std::size_t>(writers));
  std::latch ready(writers);
  std::vector<std::thread> threads;
  for (int w = 0; w < writers; ++w)
    threads.emplace_back([&, w] {
      ready.arrive_and_wait();
      rates[static_cast<std::size_t>(w)] =
          conns[static_cast<std::size_t>(w)]->rate(budget_s, (calls * 100LL + w + 1) * 1000000000);
    });
  for (auto& t : threads) t.join();
  double total = 0;
  for (double r : rates) total += r;
  return total;
}

// Lifecycle events of one process in batches of 1,000 (setup: written in few transactions).
ProcessIdentity fill_lifecycle(PgStore& store, long events) {
  auto identity = ProcessIdentity::create(kTenant, ProcessId::generate(), kLifecycle);
  for (long done = 0; done < events; done += 1000) {
    CommitBatch b{identity.stream_id, ExpectedVersion::any(), {}, {}, {}, {}};
    for (long i = done; i < std::min(events, done + 1000); ++i) {
      EventEnvelope e;
      e.tenant_id = kTenant;
      e.process_id = identity.process_id;
      e.workflow_id = kLifecycle;
      e.conversation_id = ConversationId(identity.process_id.uuid());
      e.correlation_id = CorrelationId::generate();
      e.timestamp = system_now();
      if (i == 0) {
        e.event_type = "Registered";
        e.schema_version = 2;
        e.payload = Json{{"type", "Registered"}, {"data", {{"name", "Marktlokation"}}}};
      } else {
        e.event_type = i % 2 ? "Activated" : "Deactivated";
        e.payload = Json{{"type", e.event_type}};
      }
      b.events.push_back(std::move(e));
    }
    store.append(b);
  }
  return identity;
}

ProcessIdentity fill_counter(PgStore& store, long events) {
  auto identity = ProcessIdentity::create(kTenant, ProcessId::generate(), kWorkflow);
  for (long done = 0; done < events; done += 1000) {
    auto b = commit_of(identity.process_id, static_cast<int>(std::min(1000L, events - done)));
    b.stream_id = identity.stream_id;
    store.append(b);
  }
  return identity;
}

// --lifecycle: the workload of bench/python/bench_python.py (spawn, Register, alternating
// Activate/Deactivate, one commit each) and the replay of one long stream by a fresh handle.
int lifecycle_mode(long streams, long commands, long replay_events) {
  auto store = open_store(fresh_schema("lifecycle"));
  auto ctx = EngineBuilder().with_event_store(store).with_snapshot_store(store->snapshots()).build();
  auto t0 = Steady::now();
  for (long s = 0; s < streams; ++s) {
    auto p = ctx.spawn<lifecycle::Workflow>(kTenant, kLifecycle);
    p.execute(lifecycle::Register{"Marktlokation"});
    for (long i = 0; i < commands - 1; ++i) {
      if (i % 2 == 0) p.execute(lifecycle::Activate{});
      else p.execute(lifecycle::Deactivate{});
    }
  }
  const double cps = static_cast<double>(streams * commands) / seconds_since(t0);
  auto identity = fill_lifecycle(*store, replay_events);
  int activations = 0;
  const double replay_s =
      best_of(3, [&] { activations = ctx.resume<lifecycle::Workflow>(identity).replay().activations; });
  if (activations != replay_events / 2) throw std::runtime_error("lifecycle replay: wrong state");
  std::printf("%.1f %.1f\n", cps, static_cast<double>(replay_events) / replay_s);
  return 0;
}

std::string fmt(double v) {
  std::ostringstream o;
  o.setf(std::ios::fixed);
  o.precision(v >= 100 ? 0 : (v >= 10 ? 1 : 2));
  o << v;
  return o.str();
}

std::string pct(double part, double whole) { return fmt(100 * part / whole) + "%"; }

int full_run(const char* results) {
  // The settings that decide what a commit costs. A user's server flushes the WAL on every commit
  // (fsync=on, synchronous_commit=on): figures without that would not be theirs.
  std::string server, fsync, sync_commit, fpw, sync_method, shared_buffers;
  {
    Raw raw;
    server = raw.exec("SHOW server_version");
    fsync = raw.exec("SHOW fsync");
    sync_commit = raw.exec("SHOW synchronous_commit");
    fpw = raw.exec("SHOW full_page_writes");
    sync_method = raw.exec("SHOW wal_sync_method");
    shared_buffers = raw.exec("SHOW shared_buffers");
  }
  const bool durable = fsync == "on" && sync_commit == "on";
  std::cerr << "PostgreSQL " << server << ", fsync=" << fsync << ", synchronous_commit=" << sync_commit << "\n";

  // 1. Single-event durable commits on one connection, the store vs raw INSERTs of the same row.
  // The WAL flush time of a shared virtual disk drifts from second to second, so the three run in
  // alternation, eight rounds of 0.25 s each, averaged; so do the round trips (0.1 s), which tell
  // what the store's extra statements cost.
  const auto process = ProcessId::generate();
  auto single = open_store(fresh_schema("single"));
  RawCommits raw_auto(tables("raw_auto"), false);
  RawCommits raw_tx(tables("raw_tx"), true);
  double ours = 0, auto_rate = 0, tx_rate = 0, trips = 0;
  constexpr int kRounds = 8;
  for (int round = 0; round < kRounds; ++round) {
    trips += round_trip_rate(0.1) / kRounds;
    auto_rate += raw_auto.rate(0.25) / kRounds;
    tx_rate += raw_tx.rate(0.25) / kRounds;
    ours += append_rate(*single, process, 0.25) / kRounds;
  }

  // 2. Batched ingestion: 5,000 single-event commits over 1,000 streams.
  const long kRows = 5000;
  const double raw_insert_tx1000 = raw_ingest_rate("raw_ins", kRows, 1000, 1000, false);
  const double raw_copy_tx1000 = raw_ingest_rate("raw_copy", kRows, 1000, 1000, true);
  const double raw_insert_one_tx = raw_ingest_rate("raw_ins_all", kRows, 1000, kRows, false);
  const double raw_copy_one_tx = raw_ingest_rate("raw_copy_all", kRows, 1000, kRows, true);
  const double ingest = ingest_rate("ingest", kRows, 1000, 1000);
  const double ingest_unit = ingest_rate("ingest_unit", kRows, 1000, 1000, 1, true);
  const double ingest_one_stream = ingest_rate("ingest_one", kRows, 1000, 1);
  const double ingest_multi = ingest_rate("ingest_multi", kRows, 1, 5, 1000);  // 5 commits of 1,000 events

  // 3. Concurrent writers: 1 vs 8, each its own PgStore::open; raw connections for the server's share.
  const auto writers_schema = fresh_schema("writers");
  open_store(writers_schema)->close();
  // Two rounds of 0.75 s each, alternating, for the same reason as above.
  const auto raw_writers_schema = tables("raw_writers");
  double one_writer = 0, eight_writers = 0, raw_one = 0, raw_eight = 0;
  for (int round = 0; round < 2; ++round) {
    one_writer += writers_rate(writers_schema, 1, 0.75) / 2;
    eight_writers += writers_rate(writers_schema, 8, 0.75) / 2;
    raw_one += raw_writers_rate(raw_writers_schema, 1, 0.75) / 2;
    raw_eight += raw_writers_rate(raw_writers_schema, 8, 0.75) / 2;
  }

  // 4. Reading: one stream of 20,000 events, folded and replayed; read_all over the log.
  auto read_store = open_store(fresh_schema("read"));
  const long kReplay = 20000;
  auto identity = fill_counter(*read_store, kReplay);
  auto ctx = EngineBuilder().with_event_store(read_store).build();
  long replayed = 0;
  const double replay_s = best_of(3, [&] { replayed = ctx.resume<Counter>(identity).replay().value; });
  std::uint64_t folded = 0;
  const double fold_s =
      best_of(3, [&] { folded = read_store->fold_stream(identity.stream_id, 0, [](const EventEnvelope&) {}); });
  std::size_t read = 0;
  const double read_all_s = best_of(3, [&] {
    read = 0;
    for (std::uint64_t after = 0;;) {
      auto page = read_store->read_all(after, 1000);
      if (page.empty()) break;
      read += page.size();
      after = page.back().global_position;
    }
  });

  std::ostringstream md;
  auto row = [&](const std::string& what, const std::string& value, const std::string& note) {
    md << "| " << what << " | " << value << " | " << note << " |\n";
    std::cerr << what << ": " << value << "  " << note << "\n";
  };
  auto verdict = [](bool ok) { return ok ? "met" : "**missed**"; };

  md << "\n## PostgreSQL store (bench_postgres)\n\n";
  md << "PostgreSQL " << server << " on this machine (Unix socket), fsync=" << fsync
     << ", synchronous_commit=" << sync_commit << ", full_page_writes=" << fpw << ", wal_sync_method=" << sync_method
     << ", shared_buffers=" << shared_buffers << ". Every figure of this table comes from the same run on the same "
     << "server; the raw baselines write the same rows into the same tables (created by the store) with plain libpq. "
     << "Counter events (`{\"type\":\"Incremented\",\"data\":{\"by\":1}}`).\n\n";
  if (!durable)
    md << "**This server does not flush the WAL on commit (fsync or synchronous_commit off): the figures are not "
          "those of a durable server.**\n\n";
  md << "| measurement | value | note / target |\n|---|---|---|\n";
  row("raw libpq: one prepared single-row INSERT per commit (autocommit), one connection",
      fmt(auto_rate) + " commits/s",
      "one round trip and one WAL flush per commit: the least a durable commit of this row costs");
  row("raw libpq: BEGIN; INSERT; COMMIT per row, one connection", fmt(tx_rate) + " commits/s", "three round trips");
  row("raw libpq: round trips on one connection (prepared SELECT 1)", fmt(trips) + " /s",
      fmt(1e6 / trips) + " us each: what each statement the store sends costs at least");
  const double extra_us = 1e6 / ours - 1e6 / auto_rate;  // the store's cost per commit beyond the raw INSERT
  row("PgStore::append, one event per commit, one connection", fmt(ours) + " commits/s",
      pct(ours, auto_rate) + " of the raw autocommit INSERT, " + pct(ours, tx_rate) +
          " of BEGIN; INSERT; COMMIT; target >= 80%: " + verdict(ours >= 0.8 * auto_rate) + " / " +
          verdict(ours >= 0.8 * tx_rate) + " (8 x 0.25 s each, alternating); +" + fmt(extra_us) +
          " us a commit over the raw INSERT, where a round trip costs " + fmt(1e6 / trips) + " us");
  row("raw multi-row INSERT (1,000 rows a statement), a commit every 1,000 rows, 1,000 streams",
      fmt(raw_insert_tx1000) + " rows/s", "the commit shape of append_many with 1,000 commits per call");
  row("raw COPY, a commit every 1,000 rows", fmt(raw_copy_tx1000) + " rows/s", "");
  row("raw multi-row INSERT, all 5,000 rows in one transaction", fmt(raw_insert_one_tx) + " rows/s", "");
  row("raw COPY, all 5,000 rows in one transaction", fmt(raw_copy_one_tx) + " rows/s", "");
  row("append_many, 1,000 single-event commits per call over 1,000 streams", fmt(ingest) + " events/s",
      pct(ingest, raw_insert_tx1000) + " of the raw INSERT, " + pct(ingest, raw_copy_tx1000) +
          " of COPY, same commits; target >= 50%: " + verdict(ingest >= 0.5 * raw_insert_tx1000) + "; " +
          fmt(1e6 / ingest) + " us a commit");
  row("append_many, the same 5 calls in one unit of work (one transaction)", fmt(ingest_unit) + " events/s",
      pct(ingest_unit, raw_insert_one_tx) + " of the raw INSERT, " + pct(ingest_unit, raw_copy_one_tx) +
          " of COPY in one transaction; target >= 50%: " + verdict(ingest_unit >= 0.5 * raw_insert_one_tx));
  row("append_many, 1,000 single-event commits per call, one stream", fmt(ingest_one_stream) + " events/s",
      pct(ingest_one_stream, raw_insert_tx1000) + " of the raw INSERT");
  row("append_many, one commit of 1,000 events per call (5 streams)", fmt(ingest_multi) + " events/s",
      pct(ingest_multi, raw_insert_tx1000) + " of the raw INSERT (the per-commit round trips amortised)");
  row("1 writer: PgStore::append, one event per commit", fmt(one_writer) + " commits/s",
      "2 x 0.75 s, alternating with the rows below");
  row("8 writer threads, each its own PgStore::open, own stream", fmt(eight_writers) + " commits/s",
      fmt(eight_writers / one_writer) + "x one writer, " + pct(eight_writers, raw_eight) +
          " of 8 raw connections; target >= 4x: " + verdict(eight_writers >= 4 * one_writer));
  row("raw: 1 vs 8 connections, autocommit single-row INSERTs", fmt(raw_one) + " vs " + fmt(raw_eight) + " commits/s",
      fmt(raw_eight / raw_one) + "x: what the server gives concurrent committers (no order of positions kept)");
  row("replay 20,000 events into the counter workflow (Process::replay)", fmt(kReplay / replay_s) + " events/s",
      replayed == kReplay ? "" : "(WRONG STATE)");
  row("fold_stream alone (decode envelopes, no workflow)", fmt(static_cast<double>(folded) / fold_s) + " events/s",
      "pages of 1,000");
  row("read_all, pages of 1,000", fmt(static_cast<double>(read) / read_all_s) + " events/s", "");
  md << "\nThe 8 writers share " << std::thread::hardware_concurrency()
     << " cores with the server. Appends to different streams hold no lock over their COMMIT (positions are "
        "reserved, and readers stop at the log horizon: docs/postgresql.md), so their WAL flushes join in group "
        "commits; the 8 writers cannot scale past what the server gives 8 raw connections.\n";

  if (results) {
    std::ofstream out(results, std::ios::app);
    out << md.str() << "\n";
  } else {
    std::cout << md.str();
  }
  return 0;
}

void drop_schemas() {
  if (g_schemas.empty()) return;
  try {
    Raw raw;
    for (const auto& s : g_schemas) raw.exec("DROP SCHEMA IF EXISTS " + s + " CASCADE");
  } catch (const std::exception& e) {
    std::cerr << "bench_postgres: could not drop the schemas bench_" << ::getpid() << "_*: " << e.what() << "\n";
  }
}

}  // namespace

int main(int argc, char** argv) {
  g_conninfo = bench::postgres_server("bench_postgres", "build/bench/postgres/bench_postgres");
  if (g_conninfo.empty()) return 2;
  int rc = 1;
  try {
    if (argc > 1 && std::string(argv[1]) == "--lifecycle") {
      if (argc != 5) {
        std::cerr << "usage: bench_postgres --lifecycle STREAMS COMMANDS REPLAY\n";
        return 2;
      }
      rc = lifecycle_mode(std::stol(argv[2]), std::stol(argv[3]), std::stol(argv[4]));
    } else {
      rc = full_run(argc > 1 ? argv[1] : nullptr);
    }
  } catch (const std::exception& e) {
    std::cerr << "bench_postgres: " << e.what() << "\n";
    rc = 1;
  }
  drop_schemas();
  return rc;
}
