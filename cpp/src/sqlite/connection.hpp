#pragma once
// One SQLite connection with the store's pragmas and a cache of prepared statements. Used by one
// thread at a time (the Database hands it out), so it is opened without SQLite's own mutex.
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "mako/sqlite/sqlite_options.hpp"
#include "statement.hpp"

namespace SQLite {
class Database;
}

namespace mako::sqlite::detail {

struct CommitCache;

class Connection {
 public:
  enum class Role { Writer, Reader };
  // Throws EngineError (see sqlite_error) naming the path.
  Connection(const std::string& path, const SqliteOptions& options, Role role);
  ~Connection();

  sqlite3* handle() const;
  const std::string& path() const { return path_; }
  // The prepared statement for `sql`, prepared on first use. Keyed by the pointer: pass string literals.
  Statement& statement(const char* sql);
  // Runs SQL without a result (pragmas, DDL, transaction control).
  void exec(const std::string& sql);
  std::int64_t query_int(const std::string& sql);
  bool in_transaction() const;
  // Writer: switches the file to WAL mode (persistent in the file; a no-op for :memory:).
  void use_wal();

  // The writer's stream cache, kept between transactions by CommitWriter (commit_writer.hpp).
  std::shared_ptr<CommitCache> commit_cache;

  // The writer's open units of work (Database::Unit), innermost last. A nested savepoint unit
  // becomes a SQLite savepoint only when something is written inside it (a pump round that finds
  // nothing to do costs no SAVEPOINT/RELEASE); a joined unit never does. `broken_at`: the depth of
  // the unit holding a half-done write or a rolled-back joined unit's writes (0: none); nothing
  // more is written or committed until that unit is rolled back.
  struct Units {
    enum class Kind : unsigned char { Transaction, Savepoint, Join };
    struct Open {
      Kind kind;
      bool taken = false;          // Savepoint: the SQLite savepoint exists
      long long changes_at_begin;  // Join: did it write anything?
    };
    std::vector<Open> open;
    std::size_t broken_at = 0;
    // The unit holds the write lock from BEGIN IMMEDIATE on: once the stream cache is checked
    // against other connections' commits (PRAGMA data_version), it stays valid for the whole unit.
    bool cache_checked = false;
    std::int64_t data_version = -1;
    std::size_t depth() const { return open.size(); }
    // A savepoint is owed by an open savepoint unit that has not written yet (a few units at most).
    bool pending() const {
      for (const auto& unit : open)
        if (unit.kind == Kind::Savepoint && !unit.taken) return true;
      return false;
    }
    // The innermost unit that rolls back on its own (transaction or savepoint): it holds the
    // writes of the joined units inside it.
    std::size_t holder() const {
      for (std::size_t i = open.size(); i > 0; --i)
        if (open[i - 1].kind != Kind::Join) return i;
      return 0;
    }
  } units;
  // Opens the savepoints the open nested units owe (outermost first): called by the first writing
  // statement inside them.
  void take_pending_savepoints();

 private:
  std::string path_;
  bool wal_ = false;
  std::unique_ptr<SQLite::Database> db_;
  std::unordered_map<const char*, std::unique_ptr<Statement>> statements_;
};

}  // namespace mako::sqlite::detail
