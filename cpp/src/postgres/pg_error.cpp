#include "pg_error.hpp"

namespace mako::postgres::detail {

EngineError::Kind kind_of_sqlstate(std::string_view state, bool connection_lost) {
  using Kind = EngineError::Kind;
  if (connection_lost) return Kind::Busy;  // the call may succeed on a new connection
  const std::string_view cls = state.substr(0, 2);
  if (cls == "08") return Kind::Busy;                           // connection exception
  if (state == "40001" || state == "40P01") return Kind::Busy;  // serialization failure, deadlock
  if (state == "55P03") return Kind::Busy;                      // lock_not_available: waited past lock_timeout
  if (state == "57P01" || state == "57P02" || state == "57P03") return Kind::Busy;  // server shutting down / restarting
  if (state == "53300") return Kind::Busy;                                          // too_many_connections
  if (state == "57014") return Kind::Interrupted;                                   // query_canceled
  if (cls == "22") return Kind::InvalidInput;                      // data exception: a value PostgreSQL cannot take
  if (state == "XX001" || state == "XX002") return Kind::Corrupt;  // data_corrupted, index_corrupted
  return Kind::Storage;
}

EngineError pg_error(const std::string& label, std::string_view doing, const PGresult* result, const PGconn* conn) {
  const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  // The server sends a SQLSTATE with every error; one without is libpq's own: the connection broke.
  // (The first statement on a connection idle since a server crash fails so while PQstatus still
  // says CONNECTION_OK.)
  const bool lost = conn == nullptr || PQstatus(conn) == CONNECTION_BAD || state == nullptr;
  std::string message = result ? PQresultErrorMessage(result) : "";
  if (message.empty() && conn) message = PQerrorMessage(conn);
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  const auto kind = kind_of_sqlstate(state ? state : "", lost);
  std::string text = label + ": " + std::string(doing) + ": ";
  if (lost)
    text +=
        "the connection to the server was lost (the call may be repeated; an interrupted commit may or may not have happened): ";
  else if (kind == EngineError::Kind::Busy) text += "transient failure, retry: ";
  text += message;
  if (state) text += std::string(" (SQLSTATE ") + state + ")";
  return {kind, std::move(text)};
}

}  // namespace mako::postgres::detail
