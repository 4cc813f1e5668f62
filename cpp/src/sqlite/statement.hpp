#pragma once
// A prepared statement on the SQLite C API: the store's hot path (every commit and every event
// read). The stores keep one per SQL text and connection and reuse it. SQLiteCpp (which opens the
// connections and runs pragmas, DDL and one-off queries: connection.cpp) is not used here because
// its Statement 3.2.1 hides the sqlite3_stmt this class needs: sqlite3_stmt_readonly (a writing
// statement first takes the savepoints its unit of work owes, Connection::Units),
// SQLITE_PREPARE_PERSISTENT, and sqlite3_value reads (one call per column in the replay loop;
// a SQLiteCpp Column copies a shared_ptr per access). bench_sqlite_wrapper measures the difference
// side by side: docs/architecture.md, "SQLite: wrapper and C API".
#include <cstdint>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;
struct sqlite3_value;

namespace mako::sqlite::detail {

class Connection;

class Statement {
 public:
  // `owner`: the connection whose pending unit savepoints a writing statement takes first
  // (Connection::Units); null for a statement outside any Connection.
  Statement(sqlite3* db, std::string_view sql, const std::string& path, Connection* owner = nullptr);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Bound values are not copied (SQLITE_STATIC): they must outlive the next step().
  void bind(int index, std::int64_t value);
  void bind(int index, std::string_view text);
  void bind_blob(int index, const void* data, int size);
  void bind_null(int index);

  bool step();   // true: a row is available; false: done. Throws EngineError.
  void run();    // steps a statement that returns no rows
  void reset();  // ready for new bindings; ends the statement's read of the database

  bool is_null(int column) const;
  std::int64_t int64(int column) const;
  std::string_view text(int column) const;
  std::string_view blob(int column) const;
  // The column's value, read with the sqlite3_value_* functions: one API call per column instead
  // of one per access (each sqlite3_column_* call enters the connection and checks for errors).
  // Valid until the next step() or reset().
  sqlite3_value* value(int column) const;

 private:
  [[noreturn]] void fail(int code) const;
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  const std::string& path_;
  Connection* owner_;
  bool writes_ = false;  // not sqlite3_stmt_readonly (transaction control counts as read-only)
};

// Resets the statement when leaving scope, so a read never outlives the call (it would pin the WAL).
class StatementScope {
 public:
  explicit StatementScope(Statement& s) : s_(s) {}
  ~StatementScope() { s_.reset(); }
  Statement* operator->() { return &s_; }
  Statement& operator*() { return s_; }

 private:
  Statement& s_;
};

}  // namespace mako::sqlite::detail
