#pragma once
// One PostgreSQL database (one schema in it) and a pool of connections to it.
//
// Unlike SQLite, PostgreSQL runs many writers at once, so every call borrows a connection from the
// pool for its duration: a write runs in its own transaction (BEGIN ... COMMIT), a read is one
// statement (one snapshot). A unit of work (mako/core/work_unit.hpp) keeps one connection for its
// thread from begin to commit, with one open transaction in which that thread's writes and reads run
// (nested units are SAVEPOINTs); other threads go on with their own connections.
#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "connection.hpp"
#include "mako/core/errors.hpp"
#include "mako/core/work_unit.hpp"
#include "mako/postgres/pg_options.hpp"

namespace mako::postgres::detail {

class Database {
 public:
  // Checks the connection string and the options, connects once and migrates the schema.
  static std::shared_ptr<Database> open(const std::string& conninfo, const PgOptions& options);

  const std::string& label() const { return label_; }
  const PgOptions& options() const { return options_; }
  int schema_version() const { return schema_version_; }
  // The key of the lock reserve_positions() holds while it hands out positions (commit_writer.hpp):
  // "mako" in the high 32 bits, the events table's OID in the low ones, so stores in other schemas
  // of the same database do not wait for each other.
  std::int64_t append_lock_key() const { return append_lock_key_; }

  // How a write inside a unit of work treats a failure. Guard: the write checks everything that
  // can refuse it before its first statement, so a failure after that is the store failing and
  // marks the unit rollback-only (PostgreSQL refuses the rest of the transaction anyway). Savepoint:
  // the write runs in a SAVEPOINT and a failure rolls back to it; the unit goes on.
  enum class Nested { Guard, Savepoint };

  // Runs `f(Connection&)` in a transaction: its own, committed when f returns and rolled back when it
  // throws, or the calling thread's unit of work. Throws EngineError(InvalidInput) once closed.
  template <class F>
  auto write(F&& f, Nested nested = Nested::Guard) {
    require_open();
    if (Connection* unit = unit_connection()) return write_in_unit(*unit, f, nested);
    Lease lease(*this);
    Connection& c = *lease.connection;
    c.queue("BEGIN");  // sent with f's first statement, in one round trip
    try {
      if constexpr (std::is_void_v<decltype(f(c))>) {
        f(c);
        commit(c);
      } else {
        auto result = f(c);
        commit(c);
        return result;
      }
    } catch (...) {
      c.rollback_quietly();
      throw;
    }
  }

  // Runs `f(Connection&)` with a connection of the pool (autocommit: each statement one snapshot),
  // or inside the calling thread's unit of work (which sees its own writes).
  template <class F>
  auto read(F&& f) const {
    require_open();
    if (Connection* unit = unit_connection()) {
      require_usable(*unit);
      return f(*unit);
    }
    Lease lease(*this);
    return f(*lease.connection);
  }

  // Starts a unit of work for the calling thread (nested: a savepoint of the open one, or joined).
  std::unique_ptr<WorkUnit> begin_unit(UnitNesting nesting);

  // Closes the idle connections; every later call throws EngineError(InvalidInput). Refused inside
  // the calling thread's own unit. Units of other threads finish on their connections, which are
  // closed when they end. Idempotent.
  void close();
  bool closed() const { return closed_.load(std::memory_order_acquire); }
  ~Database();

 private:
  class Unit;
  // A connection borrowed from the pool for one call; back into the pool afterwards unless it was
  // lost, is inside a transaction (a failure mid-way), or the store was closed meanwhile.
  struct Lease {
    explicit Lease(const Database& db);
    ~Lease();
    const Database& db;
    std::unique_ptr<Connection> connection;
  };

  Database(std::string conninfo, std::string label, PgOptions options);
  std::unique_ptr<Connection> connect() const;
  Connection* unit_connection() const;
  void require_open() const {
    if (closed_.load(std::memory_order_acquire)) throw_closed();
  }
  [[noreturn]] void throw_closed() const;
  // COMMIT, refused for a failed transaction (whose COMMIT PostgreSQL would turn into a silent ROLLBACK).
  void commit(Connection& c) const;
  // Refuses a unit whose transaction failed or is rollback-only (broken_at).
  void require_usable(const Connection& c) const;

  template <class F>
  auto write_in_unit(Connection& c, F& f, Nested nested) {
    require_usable(c);
    c.take_pending_savepoints();
    if (nested == Nested::Savepoint) c.exec("SAVEPOINT mako_write");
    // `writes` counts the writes that succeeded: a refused one (a version conflict) wrote nothing,
    // and a failed one breaks the unit below anyway.
    try {
      if constexpr (std::is_void_v<decltype(f(c))>) {
        f(c);
        if (nested == Nested::Savepoint) c.exec("RELEASE SAVEPOINT mako_write");
        else c.flush();  // the write's queued statements, before it counts
        ++c.units.writes;
      } else {
        auto result = f(c);
        if (nested == Nested::Savepoint) c.exec("RELEASE SAVEPOINT mako_write");
        else c.flush();
        ++c.units.writes;
        return result;
      }
    } catch (...) {
      c.discard_queued();  // not sent: nothing of them was written
      bool recovered = false;
      if (nested == Nested::Savepoint && !c.lost()) {
        try {
          c.exec("ROLLBACK TO SAVEPOINT mako_write; RELEASE SAVEPOINT mako_write");
          recovered = true;
        } catch (const EngineError&) {  // the unit is broken below
        }
      }
      if (!recovered && (c.lost() || c.in_failed_transaction())) c.units.broken_at = c.units.holder();
      throw;
    }
  }

  std::string conninfo_;
  std::string label_;
  PgOptions options_;
  std::string session_sql_;
  int schema_version_ = 0;
  std::int64_t append_lock_key_ = 0;
  std::atomic<bool> closed_{false};
  mutable std::mutex mutex_;  // guards idle_ and units_
  mutable std::vector<std::unique_ptr<Connection>> idle_;
  std::unordered_map<std::thread::id, Connection*> units_;  // the connection of each thread's open unit
};

}  // namespace mako::postgres::detail
