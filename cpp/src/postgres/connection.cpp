#include "connection.hpp"

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

Result Connection::exec(const char* sql) { return check(PQexec(conn_, sql), sql); }

Result Connection::exec(const char* sql, const Params& params) {
  return check(PQexecParams(conn_, sql, params.size(), nullptr, params.values(), nullptr, nullptr, 0), sql);
}

void Connection::rollback_quietly() {
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
