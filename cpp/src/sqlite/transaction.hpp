#pragma once
// Scoped transactions: rolled back unless committed, so any failure leaves nothing behind. Not
// SQLite::Transaction: that runs BEGIN and COMMIT through sqlite3_exec (parsed again each time;
// one-row commits ran 12-38% slower in bench_sqlite_wrapper) and knows neither nesting into a unit
// of work nor the savepoint-free Guard mode below.
#include "connection.hpp"

namespace mako::sqlite::detail {

// BEGIN IMMEDIATE takes the write lock up front (waiting up to the busy timeout), so a transaction
// never has to upgrade a read lock later — the upgrade is where deadlocks and SQLITE_BUSY hide.
// Inside an open transaction it is a savepoint of that transaction instead -- or, with
// Nested::Guard inside a unit of work, nothing at all: for writes that check everything that can
// refuse them before their first write (CommitWriter, claims), a failure after it can only be the
// store failing, and then the unit is marked broken (Connection::Units) instead of paying a
// savepoint, which copies every page the write touches, on every successful write.
class WriteTransaction {
 public:
  enum class Nested { Savepoint, Guard };
  explicit WriteTransaction(Connection& c, Nested nested = Nested::Savepoint);
  ~WriteTransaction();
  void commit();

 private:
  enum class Mode { Transaction, Savepoint, Guard };
  Connection& c_;
  Mode mode_;
  long long changes_at_start_ = 0;  // Guard: did the failed write change anything?
  bool open_ = true;
};

// A consistent read over several statements (one WAL snapshot). Inside an open transaction it
// adds nothing: that transaction is the snapshot.
class ReadTransaction {
 public:
  explicit ReadTransaction(Connection& c);
  ~ReadTransaction();

 private:
  Connection& c_;
  bool nested_;
};

// One batch inside a WriteTransaction: rolled back to its start unless released.
class Savepoint {
 public:
  explicit Savepoint(Connection& c);
  ~Savepoint();
  void release();

 private:
  Connection& c_;
  bool open_ = true;
};

}  // namespace mako::sqlite::detail
