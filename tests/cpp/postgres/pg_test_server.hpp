#pragma once
// The PostgreSQL server the suite runs against ($MAKO_TEST_PG, started by `make test-cpp` through
// tools/pg-test-server.sh), a fresh schema per store, and plain libpq for looking behind the store.
#include <catch2/catch.hpp>

#include <atomic>
#include <cstdlib>
#include <memory>
#include <string>

#include <libpq-fe.h>
#include <unistd.h>

#include <mako/postgres/pg_store.hpp>

namespace pg_test {

// Never a skip: without a server the suite fails, saying how to get one.
inline std::string conninfo() {
  const char* env = std::getenv("MAKO_TEST_PG");
  if (!env || !*env)
    FAIL(
        "MAKO_TEST_PG is not set: the PostgreSQL tests need a server. Run them with `make test-cpp`, or start a "
        "throw-away server with `eval \"$(tools/pg-test-server.sh start /tmp/mako-pg)\"` (stop it with "
        "`tools/pg-test-server.sh stop /tmp/mako-pg`), or run `tools/pg-test-server.sh run -- build/tests/cpp/test_postgres`");
  return env;
}

// A plain libpq connection to the test database (not through the store).
class Peek {
 public:
  Peek() : conn_(PQconnectdb(conninfo().c_str())) {
    if (PQstatus(conn_) != CONNECTION_OK) FAIL("cannot connect to MAKO_TEST_PG: " << PQerrorMessage(conn_));
    PQsetNoticeProcessor(conn_, [](void*, const char*) {}, nullptr);  // "schema ... does not exist, skipping"
  }
  ~Peek() { PQfinish(conn_); }
  Peek(const Peek&) = delete;
  Peek& operator=(const Peek&) = delete;
  // Runs SQL; returns the first column of the first row ("" when there is none). Fails the test on an error.
  std::string exec(const std::string& sql) {
    PGresult* r = PQexec(conn_, sql.c_str());
    const auto status = PQresultStatus(r);
    std::string out;
    if (status == PGRES_TUPLES_OK && PQntuples(r) > 0 && PQnfields(r) > 0) out = PQgetvalue(r, 0, 0);
    const std::string error = PQresultErrorMessage(r);
    PQclear(r);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) FAIL("SQL failed: " << sql << ": " << error);
    return out;
  }

 private:
  PGconn* conn_;
};

// A schema name no other test (or concurrently running ctest process) uses, dropped first in case
// an earlier run with the same process id left it behind.
inline std::string fresh_schema(const std::string& name) {
  static std::atomic<int> counter{0};
  const std::string schema = "t_" + name + "_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
  Peek().exec("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
  return schema;
}

inline mako::postgres::PgOptions options(const std::string& schema) {
  mako::postgres::PgOptions o;
  o.schema = schema;
  return o;
}

// `count` events of type `type` for `stream` (as the contract suite's batches).
inline mako::CommitBatch batch(const std::string& stream, mako::ExpectedVersion expected, int count,
                               const std::string& type = "Happened") {
  mako::CommitBatch b{mako::StreamId(stream), expected, {}, {}, {}, {}};
  for (int i = 0; i < count; ++i) {
    mako::EventEnvelope& e = b.events.emplace_back();
    e.event_type = type;
    e.payload = mako::Json{{"type", type}, {"data", {{"i", i}}}};
    e.timestamp = mako::parse_rfc3339("2025-06-06T10:00:00.5Z");
  }
  return b;
}

inline std::shared_ptr<mako::postgres::PgStore> fresh_store(const std::string& name) {
  return mako::postgres::PgStore::open(conninfo(), options(fresh_schema(name)));
}

}  // namespace pg_test
