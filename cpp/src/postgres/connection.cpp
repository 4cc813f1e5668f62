#include "connection.hpp"

#include <exception>
#include <optional>

#include "mako/core/errors.hpp"
#include "pg_error.hpp"

namespace mako::postgres::detail {

namespace {
// What a statement was, for error messages: its start.
std::string describe(const char* sql) {
  std::string s(sql);
  if (s.size() > 60) s = s.substr(0, 57) + "...";
  return "running '" + s + "'";
}

// Prepared statements kept per connection: the store's own statements are far fewer.
constexpr std::size_t kMaxPrepared = 200;
}  // namespace

Connection::Connection(const std::string& conninfo, const std::string& label, const std::string& session_sql)
    : label_(label) {
  // The connection string goes in as `dbname` with expand_dbname, so key=value strings and URIs
  // both work; sessions show as "mako-engine" in pg_stat_activity unless it names itself.
  const char* keys[] = {"dbname", "fallback_application_name", nullptr};
  const char* values[] = {conninfo.c_str(), "mako-engine", nullptr};
  conn_ = PQconnectdbParams(keys, values, 1);
  if (!conn_) throw EngineError(EngineError::Kind::Storage, label_ + ": out of memory opening a connection");
  if (PQstatus(conn_) != CONNECTION_OK) {
    std::string message = PQerrorMessage(conn_);
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
    PQfinish(conn_);
    conn_ = nullptr;
    throw EngineError(EngineError::Kind::Busy,
                      label_ + ": cannot connect to the server (is it running? retry later): " + message);
  }
  // libpq prints the server's notices ("schema ... already exists, skipping") to stderr by default:
  // not the embedder's business.
  PQsetNoticeProcessor(conn_, [](void*, const char*) {}, nullptr);
  exec(session_sql.c_str());
}

Connection::~Connection() {
  if (conn_) PQfinish(conn_);
}

Result Connection::check(PGresult* raw, const char* sql) {
  Result result(raw);
  const auto status = raw ? PQresultStatus(raw) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return result;
  if (!raw || !PQresultErrorField(raw, PG_DIAG_SQLSTATE)) broken_ = true;  // see lost()
  throw pg_error(label_, describe(sql), raw, conn_);
}

Result Connection::exec(const char* sql) {
  if (!queued_.empty()) {
    const Queued last{sql, {}, false, ResultFormat::Text, {}};
    // Pipeline mode takes one statement per command: a script waits for the queued ones.
    if (last.sql.find(';') == std::string::npos) return run_pipeline(&last);
    flush();
  }
  return check(PQexec(conn_, sql), sql);
}

Result Connection::exec(const char* sql, const Params& params, ResultFormat format) {
  if (!queued_.empty()) {
    const Queued last{sql, params, true, format, {}};
    return run_pipeline(&last);
  }
  const int f = static_cast<int>(format);
  if (const char* name = prepared(sql, false))
    return check(PQexecPrepared(conn_, name, params.size(), params.values(), params.lengths(), params.formats(), f),
                 sql);
  return check(PQexecParams(conn_, sql, params.size(), nullptr, params.values(), params.lengths(), params.formats(), f),
               sql);
}

const char* Connection::prepared(const std::string& sql, bool pipelined) {
  if (const auto it = statements_.find(sql); it != statements_.end()) return it->second.c_str();
  if (statements_.size() >= kMaxPrepared || pipelined) return nullptr;
  const std::string name = "mako_" + std::to_string(++named_);
  check(PQprepare(conn_, name.c_str(), sql.c_str(), 0, nullptr), sql.c_str());
  return statements_.emplace(sql, name).first->second.c_str();
}

void Connection::queue(const char* sql) { queued_.push_back({sql, {}, false, ResultFormat::Text, {}}); }

void Connection::queue(std::string sql, Params params) {
  queued_.push_back({std::move(sql), std::move(params), true, ResultFormat::Text, {}});
}

void Connection::queue(std::string sql, Params params, std::function<void(const Result&)> on_result) {
  queued_.push_back({std::move(sql), std::move(params), true, ResultFormat::Text, std::move(on_result)});
}

void Connection::send(const char* sql, const Params& params, ResultFormat format) {
  flush();
  const int f = static_cast<int>(format);
  const char* name = prepared(sql, false);
  const int ok =
      name ? PQsendQueryPrepared(conn_, name, params.size(), params.values(), params.lengths(), params.formats(), f)
           : PQsendQueryParams(conn_, sql, params.size(), nullptr, params.values(), params.lengths(), params.formats(),
                               f);
  if (ok != 1) {
    broken_ = true;
    throw pg_error(label_, describe(sql), nullptr, conn_);
  }
  sent_ = sql;
}

Result Connection::receive() {
  const char* sql = sent_;
  sent_ = nullptr;
  PGresult* r = PQgetResult(conn_);
  while (PGresult* more = r ? PQgetResult(conn_) : nullptr) PQclear(more);  // the command's end
  return check(r, sql);
}

void Connection::drain_quietly() noexcept {
  if (!sent_) return;
  sent_ = nullptr;
  bool got = false;
  while (PGresult* r = PQgetResult(conn_)) {
    got = true;
    PQclear(r);
  }
  if (!got) broken_ = true;
}

void Connection::flush() {
  if (!queued_.empty()) run_pipeline(nullptr);
}

Result Connection::run_pipeline(const Queued* last) {
  const std::vector<Queued> batch = std::move(queued_);
  queued_.clear();
  // What was sent, in order: each statement, and the PREPAREs of those not prepared yet.
  struct Sent {
    const std::string* sql;
    const std::string* prepare;  // the name prepared (a PREPARE), else nullptr
    const Queued* statement;     // the statement sent (nullptr for a PREPARE)
  };
  std::vector<Sent> sent;
  std::unordered_map<std::string, std::string> preparing;  // sql -> name, prepared in this pipeline
  std::optional<Result> failure;
  const std::string* failed_sql = nullptr;
  std::exception_ptr callback_failure;
  bool abandon = false;  // a statement with on_result failed: see queue()
  const auto fail = [&](PGresult* r, const std::string* sql) {
    if (!failure) {
      failure.emplace(r);
      failed_sql = sql;
    } else {
      PQclear(r);
    }
  };
  if (PQenterPipelineMode(conn_) != 1) throw pg_error(label_, "entering pipeline mode", nullptr, conn_);
  const auto send = [&](const Queued& q) {
    const char* name = nullptr;
    if (q.has_params) {
      if (const auto it = statements_.find(q.sql); it != statements_.end()) name = it->second.c_str();
      else if (const auto p = preparing.find(q.sql); p != preparing.end()) name = p->second.c_str();
      else if (statements_.size() + preparing.size() < kMaxPrepared) {
        const auto& [sql, n] = *preparing.emplace(q.sql, "mako_" + std::to_string(++named_)).first;
        if (PQsendPrepare(conn_, n.c_str(), sql.c_str(), 0, nullptr) != 1) return false;
        sent.push_back({&sql, &n, nullptr});
        name = n.c_str();
      }
    }
    const Params& p = q.params;  // empty without parameters
    const int f = static_cast<int>(q.format);
    const int ok = name ? PQsendQueryPrepared(conn_, name, p.size(), p.values(), p.lengths(), p.formats(), f)
                        : PQsendQueryParams(conn_, q.sql.c_str(), p.size(), nullptr, p.size() ? p.values() : nullptr,
                                            p.lengths(), p.formats(), f);
    if (ok != 1) return false;
    sent.push_back({&q.sql, nullptr, &q});
    return true;
  };
  bool sent_all = true;
  for (const auto& q : batch) sent_all = sent_all && send(q);
  if (last) sent_all = sent_all && send(*last);
  if (!sent_all || PQpipelineSync(conn_) != 1) {
    broken_ = true;  // the pipeline is in an unknown state: the connection is not used again
    throw pg_error(label_, describe(sent.empty() ? "a pipeline" : sent.back().sql->c_str()), nullptr, conn_);
  }
  Result out(nullptr);
  for (std::size_t i = 0; i < sent.size(); ++i) {
    PGresult* r = PQgetResult(conn_);
    if (!r) {
      broken_ = true;
      break;
    }
    const auto status = PQresultStatus(r);
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
      if (sent[i].prepare) statements_.emplace(*sent[i].sql, *sent[i].prepare);
      if (last && i + 1 == sent.size()) {
        out = Result(r);
      } else if (sent[i].statement && sent[i].statement->on_result && !failure) {
        const Result result(r);
        try {
          sent[i].statement->on_result(result);
        } catch (...) {  // the pipeline's results are read to the end first
          if (!callback_failure) callback_failure = std::current_exception();
        }
      } else {
        PQclear(r);
      }
    } else if (status == PGRES_PIPELINE_ABORTED) {
      PQclear(r);  // a statement before it failed
    } else {
      if (sent[i].statement && sent[i].statement->on_result) abandon = true;
      fail(r, sent[i].sql);
    }
    while (PGresult* more = PQgetResult(conn_)) PQclear(more);  // the command's end
  }
  PGresult* sync = broken_ ? nullptr : PQgetResult(conn_);
  if (!sync || PQresultStatus(sync) != PGRES_PIPELINE_SYNC) broken_ = true;
  PQclear(sync);
  if (!broken_ && PQexitPipelineMode(conn_) != 1) broken_ = true;
  if (abandon) broken_ = true;
  if (failure) throw pg_error(label_, describe(failed_sql->c_str()), failure->get(), conn_);
  if (broken_) throw pg_error(label_, "reading a pipeline's results", nullptr, conn_);
  if (callback_failure) std::rethrow_exception(callback_failure);
  return out;
}

void Connection::rollback_quietly() {
  queued_.clear();
  if (lost() || !in_transaction()) return;
  PQclear(PQexec(conn_, "ROLLBACK"));
}

void Connection::take_pending_savepoints() {
  for (auto& unit : units.open) {
    if (unit.kind != Units::Kind::Savepoint || unit.taken) continue;
    exec("SAVEPOINT mako_unit");  // nested names may repeat: ROLLBACK TO/RELEASE take the innermost
    unit.taken = true;
  }
}

}  // namespace mako::postgres::detail
