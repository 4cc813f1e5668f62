#pragma once
// One libpq connection (PGconn), closed when it goes out of scope, used by one thread at a time
// (the Database hands it out).
//
// Why libpq's C API and not libpqxx: libpqxx is not installed with the other Debian packages, and
// the store needs little of it -- parameterised statements, text results, SQLSTATEs -- which this
// wrapper, result.hpp and params.hpp give in a few lines, with errors mapped to EngineError once
// (pg_error.hpp).
#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include <libpq-fe.h>

#include "params.hpp"
#include "result.hpp"

namespace mako::postgres::detail {

class Connection {
 public:
  // Connects and runs `session_sql` (search_path, lock_timeout). Throws EngineError: Busy when the
  // server cannot be reached (it may be restarting), InvalidInput for a malformed connection string.
  Connection(const std::string& conninfo, const std::string& label, const std::string& session_sql);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs SQL without parameters (several statements may be separated by ';'). Throws EngineError.
  Result exec(const char* sql);
  Result exec(const std::string& sql) { return exec(sql.c_str()); }
  // Runs one statement with parameters $1... sent as text, prepared once per connection (the
  // server parses and plans it once). Throws EngineError.
  Result exec(const char* sql, const Params& params) { return exec(sql, params, ResultFormat::Text); }
  Result exec(const std::string& sql, const Params& params) { return exec(sql.c_str(), params); }
  // The same, its result's columns all in `format` (libpq applies one format to every column).
  Result exec(const char* sql, const Params& params, ResultFormat format);

  // Queues one statement whose result is not needed (BEGIN, an INSERT): it is sent with the next
  // exec in one round trip (libpq pipeline mode), which then throws the first failure of them all.
  // Queued statements never outlive the call that queued them: Database flushes or discards them.
  void queue(const char* sql);
  void queue(std::string sql, Params params);
  // The same, for a statement whose result is needed once it arrives: `on_result` runs with it
  // inside the exec (or flush) that sends it, and not at all when the statement fails. A failure of
  // this statement itself also ends the connection (lost() from then on): it may have left a
  // session-level lock held (reserve_positions), which only the end of the session releases.
  void queue(std::string sql, Params params, std::function<void(const Result&)> on_result);
  // Sends one statement now and returns without its result, which receive() waits for: the server
  // runs it while the caller works on the previous result (fold_stream reads its next page while
  // it decodes this one). Nothing else may run on the connection in between. Throws EngineError.
  void send(const char* sql, const Params& params, ResultFormat format);
  Result receive();
  // Waits for a sent statement's result and drops it, ignoring failures (a caller that stopped
  // early); a connection that cannot be drained is not used again.
  void drain_quietly() noexcept;
  // Sends the queued statements now (one round trip). Throws EngineError.
  void flush();
  // Forgets the queued statements unsent (their call failed before they were needed).
  void discard_queued() { queued_.clear(); }
  bool has_queued() const { return !queued_.empty(); }
  // ROLLBACK, ignoring failures (the connection may be gone; the server then rolled back anyway).
  // Queued statements are discarded.
  void rollback_quietly();

  // libpq says so, a pipeline failed half-way, or a statement failed with an error of libpq's own
  // (no SQLSTATE): after a server crash the first statement on a connection idle since then fails
  // so while libpq still reports the connection as OK. A lost connection is never used again.
  bool lost() const { return broken_ || PQstatus(conn_) == CONNECTION_BAD; }
  bool in_transaction() const { return PQtransactionStatus(conn_) != PQTRANS_IDLE; }
  // A statement of the open transaction failed: PostgreSQL refuses everything but a rollback.
  bool in_failed_transaction() const { return PQtransactionStatus(conn_) == PQTRANS_INERROR; }
  const std::string& label() const { return label_; }
  PGconn* handle() const { return conn_; }

  // The open units of work on this connection (Database::Unit), innermost last. A nested savepoint
  // unit becomes a SAVEPOINT only when something is written inside it; a joined unit never does.
  // `broken_at`: the depth of the unit holding a failed write or a rolled-back joined unit's writes
  // (0: none); nothing more is written or committed until that unit is rolled back.
  struct Units {
    enum class Kind : unsigned char { Transaction, Savepoint, Join };
    struct Open {
      Kind kind;
      bool taken = false;             // Savepoint: the SAVEPOINT exists
      std::uint64_t writes_at_begin;  // Join: did it write anything?
    };
    std::vector<Open> open;
    std::size_t broken_at = 0;
    std::uint64_t writes = 0;  // writes made inside units so far
    std::size_t depth() const { return open.size(); }
    std::size_t holder() const {  // the innermost unit that rolls back on its own
      for (std::size_t i = open.size(); i > 0; --i)
        if (open[i - 1].kind != Kind::Join) return i;
      return 0;
    }
  } units;
  // Takes the SAVEPOINTs the open nested units owe (outermost first): before the first write in them.
  void take_pending_savepoints();

 private:
  struct Queued {
    std::string sql;
    Params params;
    bool has_params;
    ResultFormat format = ResultFormat::Text;
    std::function<void(const Result&)> on_result;
  };
  Result check(PGresult* result, const char* sql);
  // The name of `sql`'s prepared statement, preparing it first (nullptr: the cache is full, run it
  // unprepared). With `pipelined`, the PREPARE is sent into the open pipeline instead.
  const char* prepared(const std::string& sql, bool pipelined);
  // Sends the queued statements and `last` (if any) in one pipeline; returns `last`'s result.
  Result run_pipeline(const Queued* last);

  PGconn* conn_ = nullptr;
  std::string label_;
  bool broken_ = false;
  const char* sent_ = nullptr;  // the statement send() sent, until receive()
  std::vector<Queued> queued_;
  // SQL text -> its prepared statement's name ("mako_1", ...). Bounded: statements built for a row
  // count (multi-row INSERTs) would otherwise grow it without end.
  std::unordered_map<std::string, std::string> statements_;
  std::uint64_t named_ = 0;  // names given so far: each once, even when its PREPARE failed
};

}  // namespace mako::postgres::detail
