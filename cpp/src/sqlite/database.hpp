#pragma once
// One database file and the connections to it: a writer behind a mutex and a pool of readers.
//
// SQLite allows one writer at a time per file anyway (also across processes, via its file lock and
// the busy timeout), so serialising this process's writes on one connection costs nothing and lets
// its prepared statements stay cached. Reads borrow a read-only connection from the pool (one per
// concurrently reading thread, created on demand); in WAL mode they run in parallel with the writer.
// A ":memory:" database exists only inside its one connection, so there reads share the writer.
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "connection.hpp"
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
  // when the store was opened read-only.
  template <class F>
  auto write(F&& f) {
    require_writable();
    std::lock_guard lock(writer_mutex_);
    return f(*writer_);
  }

  // Runs `f` with a reader connection borrowed for the duration of the call.
  template <class F>
  auto read(F&& f) const {
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
  mutable std::mutex pool_mutex_;
  mutable std::vector<std::unique_ptr<Connection>> idle_readers_;
};

}  // namespace mako::sqlite::detail
