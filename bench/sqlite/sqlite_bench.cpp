// SQLite store benchmarks, measured side by side with the physical limits of the same machine:
// raw SQLite inserts of the same rows and the raw fsync rate of the disk.
//   bench_sqlite [results.md]   (appends a markdown section; MAKO_BENCH_DIR picks the directory)
#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <sstream>
#include <vector>

#include <mako/core/engine.hpp>
#include <mako/sqlite/process_tuning.hpp>
#include <mako/sqlite/sqlite_store.hpp>

#include <mako/core/lifecycle_workflow.hpp>
#include "counter_events.hpp"
#include "counter_workflow.hpp"

using namespace mako;
using Steady = std::chrono::steady_clock;

namespace {

using Counter = counter::Workflow;

using bench::best_of;
using bench::commit_of;
using bench::counter_event;
using bench::kTenant;
using bench::kWorkflow;
using bench::seconds_since;

std::filesystem::path g_dir;

std::string fresh(const std::string& name) {
  auto p = g_dir / (name + ".db");
  for (auto s : {"", "-wal", "-shm"}) std::filesystem::remove(p.string() + s);
  return p.string();
}

std::shared_ptr<sqlite::SqliteStore> open_store(const std::string& path, sqlite::Durability d) {
  sqlite::SqliteOptions o;
  o.durability = d;
  return sqlite::SqliteStore::open(path, o);
}

// Small appends + fdatasync on a file in the bench directory: the disk's commit rate (what a
// durable SQLite commit in WAL mode costs at least: one fdatasync of the WAL).
double raw_fsync_rate(double budget_s) {
  auto path = (g_dir / "fsync.bin").string();
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return 0;
  char buf[128] = {};
  long n = 0;
  auto t0 = Steady::now();
  while (seconds_since(t0) < budget_s) {
    if (::write(fd, buf, sizeof buf) != sizeof buf) break;
    ::fdatasync(fd);
    ++n;
  }
  double rate = n / seconds_since(t0);
  ::close(fd);
  std::filesystem::remove(path);
  return rate;
}

// The same rows the store writes (round-robin over `streams` streams), inserted with one prepared
// statement into a file with the same schema and indexes, committing every `per_transaction` rows
// (default: one transaction): the physical insert limit. Ids and timestamps are made before the clock
// starts, as the store benches build their batches outside the timed calls.
double raw_insert_rate(long rows, int streams, long per_transaction = 0) {
  auto path = fresh("raw");
  { open_store(path, sqlite::Durability::Relaxed); }  // schema
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  // The store's writer pragmas (connection.cpp), so that the baseline stays the limit of the same setup.
  sqlite3_exec(db, "PRAGMA synchronous=NORMAL; PRAGMA cache_size=-16384; PRAGMA wal_autocheckpoint=4096", nullptr,
               nullptr, nullptr);
  for (int i = 1; i <= streams; ++i)
    sqlite3_exec(db,
                 ("INSERT INTO streams (stream_id, version, created_at_ns, updated_at_ns) VALUES ('s" +
                  std::to_string(i) + "', 0, 0, 0)")
                     .c_str(),
                 nullptr, nullptr, nullptr);
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(
      db,
      "INSERT INTO events (stream_key, sequence, event_id, event_type, schema_version, timestamp_ns, correlation_id, "
      "causation_id, conversation_id, tenant_id, process_id, workflow_name, format_version, payload) "
      "VALUES (?7, ?1, ?2, 'Incremented', 1, ?3, ?4, NULL, ?5, NULL, NULL, NULL, NULL, ?6)",
      -1, &s, nullptr);
  const std::string payload = R"({"type":"Incremented","data":{"by":1}})";
  auto conv = Uuid::v4();
  std::vector<Uuid> ids(static_cast<std::size_t>(2 * rows));
  for (auto& id : ids) id = Uuid::v4();
  std::vector<std::int64_t> stamps(static_cast<std::size_t>(rows));
  for (auto& t : stamps) t = system_now().time_since_epoch().count();
  auto t0 = Steady::now();
  sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
  for (long i = 1; i <= rows; ++i) {
    const auto& id = ids[static_cast<std::size_t>(2 * i - 2)];
    const auto& corr = ids[static_cast<std::size_t>(2 * i - 1)];
    sqlite3_bind_int64(s, 1, (i - 1) / streams + 1);
    sqlite3_bind_int64(s, 7, (i - 1) % streams + 1);
    sqlite3_bind_blob(s, 2, id.bytes().data(), 16, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, stamps[static_cast<std::size_t>(i - 1)]);
    sqlite3_bind_blob(s, 4, corr.bytes().data(), 16, SQLITE_STATIC);
    sqlite3_bind_blob(s, 5, conv.bytes().data(), 16, SQLITE_STATIC);
    sqlite3_bind_text(s, 6, payload.data(), static_cast<int>(payload.size()), SQLITE_STATIC);
    sqlite3_step(s);
    sqlite3_reset(s);
    if (per_transaction > 0 && i % per_transaction == 0 && i < rows)
      sqlite3_exec(db, "COMMIT; BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
  }
  sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
  double rate = rows / seconds_since(t0);
  sqlite3_finalize(s);
  sqlite3_close(db);
  return rate;
}

// Single-event commits per second through SqliteStore::append, for at most `budget_s` or `max` commits.
double append_rate(sqlite::Durability d, double budget_s, long max) {
  auto store = open_store(fresh(std::string("append-") + sqlite::to_string(d)), d);
  auto process = ProcessId::generate();
  long n = 0;
  auto t0 = Steady::now();
  while (n < max && (n % 64 != 0 || seconds_since(t0) < budget_s)) {
    auto b = commit_of(process);
    store->append(b);
    ++n;
  }
  return n / seconds_since(t0);
}

// Commands per second through Process::execute (fold new events, handle, stamp, append).
double execute_rate(sqlite::Durability d, double budget_s, long max) {
  auto store = open_store(fresh(std::string("execute-") + sqlite::to_string(d)), d);
  auto ctx = EngineBuilder().with_event_store(store).with_snapshot_store(store->snapshots()).build();
  auto p = ctx.spawn<Counter>(kTenant, kWorkflow);
  long n = 0;
  auto t0 = Steady::now();
  while (n < max && (n % 64 != 0 || seconds_since(t0) < budget_s)) {
    p.execute(Counter::Command{1});
    ++n;
  }
  return n / seconds_since(t0);
}

// Events per second via append_many: `total` single-event commits in groups of `group`.
double ingest_rate(sqlite::Durability d, long total, int group, int streams) {
  auto store = open_store(fresh(std::string("ingest-") + sqlite::to_string(d)), d);
  std::vector<ProcessId> processes(static_cast<std::size_t>(streams));
  std::vector<CommitBatch> batches;
  double busy = 0;
  for (long done = 0; done < total; done += group) {
    batches.clear();
    for (int i = 0; i < group; ++i)
      batches.push_back(commit_of(processes[static_cast<std::size_t>((done + i) % streams)]));
    auto t0 = Steady::now();
    store->append_many(batches);
    busy += seconds_since(t0);
  }
  return total / busy;
}

// Fills one stream of `events` counter events for the process returned (in batches, relaxed).
ProcessIdentity fill_stream(sqlite::SqliteStore& store, long events) {
  auto identity = ProcessIdentity::create(kTenant, ProcessId::generate(), kWorkflow);
  std::vector<CommitBatch> batches;
  for (long done = 0; done < events; done += 1000) {
    batches.clear();
    for (int i = 0; i < 1000 && done + i < events; ++i) batches.push_back(commit_of(identity.process_id));
    store.append_many(batches);
  }
  return identity;
}

std::string fmt(double v) {
  std::ostringstream o;
  o.setf(std::ios::fixed);
  o.precision(v >= 100 ? 0 : (v >= 10 ? 1 : 2));
  o << v;
  return o.str();
}

}  // namespace

int main(int argc, char** argv) {
  mako::sqlite::tune_sqlite_process();  // as a program embedding the store would
  const char* dir_env = std::getenv("MAKO_BENCH_DIR");
  g_dir = dir_env && *dir_env ? std::filesystem::path(dir_env) : std::filesystem::current_path() / "sqlite-bench.tmp";
  std::filesystem::create_directories(g_dir);
  std::ostringstream md;
  auto row = [&](const std::string& what, const std::string& value, const std::string& note) {
    md << "| " << what << " | " << value << " | " << note << " |\n";
    std::cerr << what << ": " << value << "  " << note << "\n";
  };
  auto verdict = [](bool ok) { return ok ? "met" : "**missed**"; };

  // The disk's fsync rate drifts by 10-20% from one second to the next here (a virtual disk), so the
  // durable append rate is compared with fsync rates measured in alternation with it: three rounds
  // of one second each, averaged.
  double fsync = 0, durable = 0;
  for (int round = 0; round < 3; ++round) {
    fsync += raw_fsync_rate(1.0) / 3;
    durable += append_rate(sqlite::Durability::Durable, 1.0, 2000000) / 3;
  }
  const double raw_insert = raw_insert_rate(300000, 1000);
  const double raw_insert_one = raw_insert_rate(300000, 1);
  const double raw_insert_tx1000 = raw_insert_rate(300000, 1000, 1000);
  const double relaxed = append_rate(sqlite::Durability::Relaxed, 2.0, 100000);
  const double exec_relaxed = execute_rate(sqlite::Durability::Relaxed, 2.0, 50000);
  const double ingest = ingest_rate(sqlite::Durability::Relaxed, 300000, 1000, 1000);
  const double ingest_one = ingest_rate(sqlite::Durability::Relaxed, 300000, 1000, 1);
  const double ingest_big = ingest_rate(sqlite::Durability::Relaxed, 300000, 10000, 1000);
  // A bulk load in the raw baseline's shape: all 300,000 commits in one call, one transaction.
  const double ingest_bulk = ingest_rate(sqlite::Durability::Relaxed, 300000, 300000, 1000);
  const double ingest_durable = ingest_rate(sqlite::Durability::Durable, 300000, 1000, 1000);

  // Replay: 200,000 events of one stream into the counter workflow (Process::replay) and, for the
  // store's share, fold_stream without a workflow.
  auto replay_store = open_store(fresh("replay"), sqlite::Durability::Relaxed);
  const long kReplay = 200000;
  auto identity = fill_stream(*replay_store, kReplay);
  auto ctx = EngineBuilder().with_event_store(replay_store).build();
  auto proc = ctx.resume<Counter>(identity);
  long replayed = 0;
  const double replay_s = best_of(3, [&] { replayed = proc.replay().value; });
  std::uint64_t folded = 0;
  const double fold_s =
      best_of(3, [&] { folded = replay_store->fold_stream(identity.stream_id, 0, [](const EventEnvelope&) {}); });

  // Snapshot vs full replay on a 10,000-event stream (snapshot 10 events before the end).
  auto snap_store = open_store(fresh("snapshot"), sqlite::Durability::Relaxed);
  auto snap_id = fill_stream(*snap_store, 9990);
  auto snap_ctx = EngineBuilder().with_event_store(snap_store).build();
  auto snap_proc = snap_ctx.resume<Counter>(snap_id);
  auto snaps = snap_store->snapshots();
  snap_proc.take_snapshot(*snaps, 1);
  for (int i = 0; i < 10; ++i) snap_proc.execute(Counter::Command{1});
  long with_snap = 0, full = 0;
  const double snap_s = best_of(5, [&] { with_snap = snap_proc.state_with_snapshot(*snaps).value; });
  const double full_s = best_of(5, [&] { full = snap_proc.replay().value; });

  // 1,000 interleaved streams vs one stream: single-event commits (relaxed) and reading them back.
  auto one_rate = ingest_rate(sqlite::Durability::Relaxed, 200000, 1, 1);
  auto many_rate = ingest_rate(sqlite::Durability::Relaxed, 200000, 1, 1000);
  auto one_store = open_store(fresh("read-one"), sqlite::Durability::Relaxed);
  auto one_id = fill_stream(*one_store, 100000);
  auto many_store = open_store(fresh("read-many"), sqlite::Durability::Relaxed);
  std::vector<ProcessId> many_processes(1000);
  {
    std::vector<CommitBatch> batches;
    for (long done = 0; done < 100000; done += 1000) {
      batches.clear();
      for (int i = 0; i < 1000; ++i) batches.push_back(commit_of(many_processes[static_cast<std::size_t>(i)]));
      many_store->append_many(batches);
    }
  }
  const double read_one_s =
      best_of(3, [&] { one_store->fold_stream(one_id.stream_id, 0, [](const EventEnvelope&) {}); });
  const double read_many_s = best_of(3, [&] {
    for (auto& p : many_processes)
      many_store->fold_stream(StreamId::for_process(kTenant, p), 0, [](const EventEnvelope&) {});
  });

  md << "\n## SQLite store (bench_sqlite)\n\n";
  md << "Directory: `" << g_dir.string() << "`. SQLite " << sqlite3_libversion() << ". Counter events "
     << "(`{\"type\":\"Incremented\",\"data\":{\"by\":1}}`), one per commit unless stated.\n\n";
  md << "| measurement | value | note / target |\n|---|---|---|\n";
  row("raw fdatasync rate of the disk (128-byte append + fdatasync)", fmt(fsync) + " /s",
      "physical limit of durable commits (3 x 1 s, alternating with the durable appends below)");
  row("raw SQLite insert, same rows over 1,000 streams, one prepared statement, one transaction",
      fmt(raw_insert) + " rows/s", "physical limit of ingestion");
  row("raw SQLite insert, same rows, one stream", fmt(raw_insert_one) + " rows/s", "physical limit, one stream");
  row("raw SQLite insert, same rows over 1,000 streams, a commit every 1,000 rows", fmt(raw_insert_tx1000) + " rows/s",
      "the same commit size as the append_many rows below (WAL pages written per commit)");
  row("append, durable (WAL, synchronous=FULL)", fmt(durable) + " commits/s",
      fmt(100 * durable / fsync) + "% of fsync rate; target >= 80%: " + verdict(durable >= 0.8 * fsync));
  row("append, relaxed (WAL, synchronous=NORMAL)", fmt(relaxed) + " commits/s", "no fsync per commit");
  row("Process::execute, relaxed", fmt(exec_relaxed) + " commands/s", "fold new events + handle + append");
  row("append_many, all 300,000 single-event commits in one call over 1,000 streams (bulk load), relaxed",
      fmt(ingest_bulk) + " events/s",
      fmt(100 * ingest_bulk / raw_insert) +
          "% of raw insert (same shape: one transaction); target >= 50%: " + verdict(ingest_bulk >= 0.5 * raw_insert));
  row("append_many, 1000 single-event commits per call over 1,000 streams, relaxed", fmt(ingest) + " events/s",
      fmt(100 * ingest / raw_insert) + "% of raw insert; " + fmt(100 * ingest / raw_insert_tx1000) +
          "% of raw insert committing every 1,000 rows");
  row("append_many, 10,000 commits per call over 1,000 streams, relaxed", fmt(ingest_big) + " events/s",
      fmt(100 * ingest_big / raw_insert) + "% of raw insert");
  row("append_many, 1000 commits per call, one stream, relaxed", fmt(ingest_one) + " events/s",
      fmt(100 * ingest_one / raw_insert_one) + "% of raw insert (one stream)");
  row("append_many, 1000 commits per call over 1,000 streams, durable", fmt(ingest_durable) + " events/s",
      "one fsync per call");
  row("replay 200,000 events into the counter workflow (Process::replay)", fmt(kReplay / replay_s) + " events/s",
      "target >= 2M/s: " + std::string(verdict(kReplay / replay_s >= 2e6)) +
          (replayed == kReplay ? "" : " (WRONG STATE)"));
  row("fold_stream alone (decode envelopes, no workflow)", fmt(static_cast<double>(folded) / fold_s) + " events/s",
      "the store's share of replay");
  row("state_with_snapshot, 10,000-event stream (snapshot at 9,990)", fmt(snap_s * 1e6) + " us",
      "full replay " + fmt(full_s * 1e6) + " us = " + fmt(full_s / snap_s) + "x slower" +
          (with_snap == full ? "" : " (STATES DIFFER)"));
  row("single-event commits: 1 stream vs 1,000 interleaved streams (relaxed)",
      fmt(one_rate) + " vs " + fmt(many_rate) + " commits/s",
      "cost ratio " + fmt(one_rate / many_rate) + "x; target <= 2x: " + verdict(one_rate / many_rate <= 2.0));
  row("read back 100,000 events: 1 stream vs 1,000 streams of 100",
      fmt(read_one_s * 1e3) + " vs " + fmt(read_many_s * 1e3) + " ms",
      "cost ratio " + fmt(read_many_s / read_one_s) + "x");

  if (argc > 1) {
    std::ofstream out(argv[1], std::ios::app);
    out << md.str() << "\n";
  } else {
    std::cout << md.str();
  }
  std::error_code ec;
  std::filesystem::remove_all(g_dir, ec);
  return 0;
}
