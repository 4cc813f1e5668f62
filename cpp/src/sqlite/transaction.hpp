#pragma once
// Scoped transactions: rolled back unless committed, so any failure leaves nothing behind.
#include "connection.hpp"

namespace mako::sqlite::detail {

// BEGIN IMMEDIATE takes the write lock up front (waiting up to the busy timeout), so a transaction
// never has to upgrade a read lock later — the upgrade is where deadlocks and SQLITE_BUSY hide.
// Inside an open transaction (a unit of work) it is a savepoint of that transaction instead.
class WriteTransaction {
 public:
  explicit WriteTransaction(Connection& c);
  ~WriteTransaction();
  void commit();

 private:
  Connection& c_;
  bool nested_;
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
