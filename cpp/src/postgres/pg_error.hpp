#pragma once
// How a PostgreSQL failure becomes an EngineError, by its SQLSTATE: what may succeed when repeated
// (a lost connection, a server restarting, a serialization failure, a deadlock, a lock wait past
// lock_timeout) is Busy, hence EngineError::is_transient(); bad data is InvalidInput; the rest Storage.
#include <string>
#include <string_view>

#include <libpq-fe.h>

#include "mako/core/errors.hpp"

namespace mako::postgres::detail {

// The error of a failed statement (`result` may be null when libpq could not even send it).
// `label` names the store, `doing` what was being done.
EngineError pg_error(const std::string& label, std::string_view doing, const PGresult* result, const PGconn* conn);

// The kind for a SQLSTATE ("" when the server sent none).
EngineError::Kind kind_of_sqlstate(std::string_view sqlstate, bool connection_lost);

}  // namespace mako::postgres::detail
