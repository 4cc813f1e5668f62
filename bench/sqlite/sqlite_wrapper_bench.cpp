// What SQLiteCpp (the wrapper this project uses for connections) would cost on the store's hot
// paths, against the SQLite C API that cpp/src/sqlite/statement.cpp and transaction.cpp use there:
// the same SQL, the same rows, side by side in one run. The store drops to the C API only where
// this shows the wrapper costs (docs/architecture.md, "SQLite: wrapper and C API").
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

namespace {

using Clock = std::chrono::steady_clock;
constexpr int kRows = 200'000;
constexpr int kCommits = 20'000;
const std::string kPayload(120, 'x');  // about an event's JSON payload

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// A fresh database file without fsync: what is measured is the API, not the disk.
SQLite::Database open_db(const std::filesystem::path& file) {
  std::filesystem::remove(file);
  SQLite::Database db(file.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX);
  db.exec("PRAGMA journal_mode = WAL");
  db.exec("PRAGMA synchronous = OFF");
  return db;
}

// Each measured write starts from an empty table, so neither side inherits the other's rows.
void fresh_table(SQLite::Database& db) {
  db.exec("DROP TABLE IF EXISTS events");
  db.exec(
      "CREATE TABLE events (stream INTEGER, seq INTEGER, type TEXT, payload TEXT, at INTEGER, PRIMARY KEY (stream, seq))");
}

constexpr const char* kInsert = "INSERT INTO events (stream, seq, type, payload, at) VALUES (?1, ?2, ?3, ?4, ?5)";
constexpr const char* kSelect = "SELECT stream, seq, type, payload, at FROM events ORDER BY stream, seq";

double insert_raw(sqlite3* db, int offset) {
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v3(db, kInsert, -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr);
  sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
  const auto t = Clock::now();
  for (int i = 0; i < kRows; ++i) {
    sqlite3_bind_int64(s, 1, (offset + i) % 1000);
    sqlite3_bind_int64(s, 2, offset + i);
    sqlite3_bind_text(s, 3, "MessageSent", 11, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, kPayload.data(), static_cast<int>(kPayload.size()), SQLITE_STATIC);
    sqlite3_bind_int64(s, 5, i);
    if (sqlite3_step(s) != SQLITE_DONE) throw std::runtime_error(sqlite3_errmsg(db));
    sqlite3_reset(s);
  }
  const double secs = seconds_since(t);
  sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
  sqlite3_finalize(s);
  return kRows / secs;
}

double insert_wrapper(SQLite::Database& db, int offset) {
  SQLite::Statement s(db, kInsert);
  SQLite::Transaction tx(db);
  const auto t = Clock::now();
  for (int i = 0; i < kRows; ++i) {
    s.bind(1, static_cast<std::int64_t>((offset + i) % 1000));
    s.bind(2, static_cast<std::int64_t>(offset + i));
    s.bindNoCopy(3, "MessageSent");
    s.bindNoCopy(4, kPayload);
    s.bind(5, static_cast<std::int64_t>(i));
    s.exec();
    s.reset();
  }
  const double secs = seconds_since(t);
  tx.commit();
  return kRows / secs;
}

double read_raw(sqlite3* db, std::int64_t& checksum) {
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v3(db, kSelect, -1, 0, &s, nullptr);
  const auto t = Clock::now();
  int rows = 0;
  while (sqlite3_step(s) == SQLITE_ROW) {
    checksum += sqlite3_column_int64(s, 0) + sqlite3_column_int64(s, 1) + sqlite3_column_int64(s, 4);
    checksum += sqlite3_column_bytes(s, 2) + sqlite3_column_bytes(s, 3);
    checksum += reinterpret_cast<const char*>(sqlite3_column_text(s, 3))[0];
    ++rows;
  }
  const double secs = seconds_since(t);
  sqlite3_finalize(s);
  return rows / secs;
}

double read_wrapper(SQLite::Database& db, std::int64_t& checksum) {
  SQLite::Statement s(db, kSelect);
  const auto t = Clock::now();
  int rows = 0;
  while (s.executeStep()) {
    checksum += s.getColumn(0).getInt64() + s.getColumn(1).getInt64() + s.getColumn(4).getInt64();
    checksum += s.getColumn(2).getBytes() + s.getColumn(3).getBytes();
    checksum += s.getColumn(3).getText()[0];
    ++rows;
  }
  return rows / seconds_since(t);
}

// One row per transaction, BEGIN IMMEDIATE ... COMMIT: prepared once (the store) vs
// SQLite::Transaction, which runs its BEGIN and COMMIT through sqlite3_exec each time.
double commits_raw(sqlite3* db, int offset) {
  sqlite3_stmt *begin = nullptr, *commit = nullptr, *insert = nullptr;
  sqlite3_prepare_v3(db, "BEGIN IMMEDIATE", -1, SQLITE_PREPARE_PERSISTENT, &begin, nullptr);
  sqlite3_prepare_v3(db, "COMMIT", -1, SQLITE_PREPARE_PERSISTENT, &commit, nullptr);
  sqlite3_prepare_v3(db, kInsert, -1, SQLITE_PREPARE_PERSISTENT, &insert, nullptr);
  const auto t = Clock::now();
  for (int i = 0; i < kCommits; ++i) {
    sqlite3_step(begin);
    sqlite3_reset(begin);
    sqlite3_bind_int64(insert, 1, 5000 + (offset + i) % 1000);
    sqlite3_bind_int64(insert, 2, offset + i);
    sqlite3_bind_text(insert, 3, "MessageSent", 11, SQLITE_STATIC);
    sqlite3_bind_text(insert, 4, kPayload.data(), static_cast<int>(kPayload.size()), SQLITE_STATIC);
    sqlite3_bind_int64(insert, 5, i);
    if (sqlite3_step(insert) != SQLITE_DONE) throw std::runtime_error(sqlite3_errmsg(db));
    sqlite3_reset(insert);
    if (sqlite3_step(commit) != SQLITE_DONE) throw std::runtime_error(sqlite3_errmsg(db));
    sqlite3_reset(commit);
  }
  const double secs = seconds_since(t);
  for (auto* s : {begin, commit, insert}) sqlite3_finalize(s);
  return kCommits / secs;
}

double commits_wrapper(SQLite::Database& db, int offset) {
  SQLite::Statement insert(db, kInsert);
  const auto t = Clock::now();
  for (int i = 0; i < kCommits; ++i) {
    SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
    insert.bind(1, static_cast<std::int64_t>(5000 + (offset + i) % 1000));
    insert.bind(2, static_cast<std::int64_t>(offset + i));
    insert.bindNoCopy(3, "MessageSent");
    insert.bindNoCopy(4, kPayload);
    insert.bind(5, static_cast<std::int64_t>(i));
    insert.exec();
    insert.reset();
    tx.commit();
  }
  return kCommits / seconds_since(t);
}

std::string fmt(double v) {
  std::ostringstream s;
  s.precision(3);
  s << std::fixed << v;
  return s.str();
}

}  // namespace

int main(int argc, char** argv) {
  const char* dir_env = std::getenv("MAKO_BENCH_DIR");
  const auto dir = dir_env && *dir_env ? std::filesystem::path(dir_env) : std::filesystem::current_path();
  std::filesystem::create_directories(dir);
  const auto file = dir / "sqlite-wrapper-bench.sqlite";
  std::ostringstream md;
  md << "## SQLiteCpp wrapper vs the SQLite C API (`bench_sqlite_wrapper`)\n\n"
     << "Same SQL and rows, one file (WAL, synchronous=OFF: the API is measured, not the disk), three "
        "alternating rounds, best of each.\n\n"
     << "| path | C API | SQLiteCpp | wrapper / C API |\n|---|---|---|---|\n";
  auto row = [&](const std::string& what, double raw, double wrapped, const char* unit) {
    md << "| " << what << " | " << fmt(raw / 1e3) << " k" << unit << " | " << fmt(wrapped / 1e3) << " k" << unit
       << " | " << fmt(100.0 * wrapped / raw) << "% |\n";
    std::cerr << what << ": C API " << raw << ", SQLiteCpp " << wrapped << " " << unit << "\n";
  };
  SQLite::Database db = open_db(file);
  double ins_raw = 0, ins_wrap = 0, rd_raw = 0, rd_wrap = 0, tx_raw = 0, tx_wrap = 0;
  std::int64_t sum_raw = 0, sum_wrap = 0;
  for (int round = 0; round < 3; ++round) {
    fresh_table(db);
    ins_raw = std::max(ins_raw, insert_raw(db.getHandle(), 0));
    fresh_table(db);
    ins_wrap = std::max(ins_wrap, insert_wrapper(db, 0));
  }
  for (int round = 0; round < 3; ++round) {
    rd_raw = std::max(rd_raw, read_raw(db.getHandle(), sum_raw));
    rd_wrap = std::max(rd_wrap, read_wrapper(db, sum_wrap));
  }
  if (sum_raw != sum_wrap) {
    std::cerr << "the two reads disagree\n";
    return 1;
  }
  for (int round = 0; round < 3; ++round) {
    fresh_table(db);
    tx_raw = std::max(tx_raw, commits_raw(db.getHandle(), 0));
    fresh_table(db);
    tx_wrap = std::max(tx_wrap, commits_wrapper(db, 0));
  }
  row("insert (bind 5 values, step, reset), one transaction", ins_raw, ins_wrap, "rows/s");
  row("read 5 columns per row (replay loop)", rd_raw, rd_wrap, "rows/s");
  row("one-row commit: BEGIN IMMEDIATE, insert, COMMIT", tx_raw, tx_wrap, "commits/s");
  md << "\n";
  if (argc > 1) {
    std::ofstream out(argv[1], std::ios::app);
    out << md.str();
  } else {
    std::cout << md.str();
  }
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(file.string() + suffix, ec);
  return 0;
}
