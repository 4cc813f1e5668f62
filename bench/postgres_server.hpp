#pragma once
// The server a PostgreSQL benchmark measures: a libpq connection string from MAKO_BENCH_PG, else
// MAKO_TEST_PG. Without one the benchmark says how to get one and exits with 2.
#include <cstdlib>
#include <iostream>
#include <string>

namespace bench {

// The connection string, or "" after telling `program` (built at `built_at`) how to get a server.
inline std::string postgres_server(const std::string& program, const std::string& built_at) {
  for (const char* name : {"MAKO_BENCH_PG", "MAKO_TEST_PG"}) {
    const char* env = std::getenv(name);
    if (env && *env) return env;
  }
  std::cerr << program
            << ": no PostgreSQL server: set MAKO_BENCH_PG to a libpq connection string, or run `make bench` "
               "(bench/run.sh starts a throw-away server with fsync on), or "
               "`PG_SERVER_OPTIONS='-c fsync=on -c full_page_writes=on' tools/pg-test-server.sh run -- "
            << built_at << "`\n";
  return "";
}

}  // namespace bench
