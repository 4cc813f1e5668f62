#pragma once
// One database file and the connections to it: a writer behind a mutex and a pool of readers.
//
// SQLite allows one writer at a time per file anyway (also across processes, via its file lock and
// the busy timeout), so serialising this process's writes on one connection costs nothing and lets
// its prepared statements stay cached. Reads borrow a read-only connection from the pool (one per
// concurrently reading thread, created on demand); in WAL mode they run in parallel with the writer.
// A ":memory:" database exists only inside its one connection, so there reads share the writer.
//
// A unit of work (mako/core/work_unit.hpp) holds the writer for one thread from begin to commit:
// one transaction on the writer connection in which that thread's writes become savepoints and
// its reads run too (so they see the unit's own writes); other threads' writes wait for it.
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "connection.hpp"
#include "mako/core/work_unit.hpp"
#include "mako/sqlite/sqlite_options.hpp"

namespace mako::sqlite::detail {

class Database {
 public:
  static std::shared_ptr<Database> open(const std::string& path, const SqliteOptions& options);

  const std::string& path() const { return path_; }
  const SqliteOptions& options() const { return options_; }
  bool in_memory() const { return in_memory_; }
  int schema_version() const { return schema_version_; }
  Durability durability() const { return in_memory_ ? Durability::Memory : options_.durability; }

  // Runs `f` with the writer connection, holding the writer mutex. Throws EngineError(Storage)
  // when the store was opened read-only, EngineError(InvalidInput) once it is closed.
  template <class F>
  auto write(F&& f) {
    require_writable();
    require_open();
    if (owns_unit()) {
      require_unit_transaction();
      return f(*writer_);
    }
    std::lock_guard lock(writer_mutex_);
    return f(*writer_);
  }

  // Runs `f` with a reader connection borrowed for the duration of the call.
  template <class F>
  auto read(F&& f) const {
    require_open();
    if (owns_unit()) return f(*writer_);
    if (!readers_enabled()) {
      std::lock_guard lock(writer_mutex_);
      return f(*writer_);
    }
    Lease lease(*this);
    return f(*lease.connection);
  }

 private:
  Database(std::string path, SqliteOptions options);
  bool readers_enabled() const { return !in_memory_; }
  void require_writable() const;
  void require_open() const {
    if (closed_.load(std::memory_order_acquire)) throw_closed();
  }
  [[noreturn]] void throw_closed() const;
  bool owns_unit() const { return unit_owner_.load(std::memory_order_relaxed) == std::this_thread::get_id(); }
  void require_unit_transaction() const;
  void run_on_writer(const char* sql);

 public:
  // Starts a unit of work for the calling thread (nested: a savepoint of the open one).
  std::unique_ptr<WorkUnit> begin_unit(UnitNesting nesting);

  // Checkpoints the whole WAL into the database file and truncates it (PRAGMA
  // wal_checkpoint(TRUNCATE)), then closes every connection: the file alone holds everything,
  // and SQLite removes the -wal when no other process has the file open. Waits for another
  // thread's write or unit; refused inside the calling thread's own unit. Idempotent; called by
  // the destructor. Later calls throw EngineError(InvalidInput).
  void close();
  bool closed() const { return closed_.load(std::memory_order_acquire); }
  ~Database();

 private:
  class Unit;

  struct Lease {
    explicit Lease(const Database& db);
    ~Lease();
    const Database& db;
    std::unique_ptr<Connection> connection;
  };

  std::string path_;
  SqliteOptions options_;
  bool in_memory_;
  int schema_version_ = 0;
  mutable std::mutex writer_mutex_;
  std::unique_ptr<Connection> writer_;
  std::atomic<std::thread::id> unit_owner_{};  // the thread whose unit holds writer_mutex_
  std::atomic<bool> closed_{false};
  mutable std::mutex pool_mutex_;
  mutable std::vector<std::unique_ptr<Connection>> idle_readers_;
};

}  // namespace mako::sqlite::detail
