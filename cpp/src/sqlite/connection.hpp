#pragma once
// One SQLite connection with the store's pragmas and a cache of prepared statements. Used by one
// thread at a time (the Database hands it out), so it is opened without SQLite's own mutex.
#include <memory>
#include <string>
#include <unordered_map>

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

  // The writer's stream cache, kept between transactions by CommitWriter (commit_writer.hpp).
  std::shared_ptr<CommitCache> commit_cache;

 private:
  std::string path_;
  std::unique_ptr<SQLite::Database> db_;
  std::unordered_map<const char*, std::unique_ptr<Statement>> statements_;
};

}  // namespace mako::sqlite::detail
