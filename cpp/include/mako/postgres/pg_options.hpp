#pragma once
// Options for opening a PostgreSQL store.
#include <chrono>
#include <cstddef>
#include <string>

namespace mako::postgres {

struct PgOptions {
  // The PostgreSQL schema (namespace) holding the store's tables, created if missing: several
  // stores can share one database. Lowercase letters, digits and '_', starting with a letter or '_',
  // at most 63 bytes.
  std::string schema = "mako";
  // How long a write waits for a lock -- a row another transaction holds (its stream's, a
  // deadline's), or the moment reserve_positions takes (docs/postgresql.md) -- before it fails with
  // EngineError(Busy), which is transient.
  std::chrono::milliseconds lock_timeout{5000};
  // Connections kept open between calls; more concurrent calls open more and close them afterwards.
  std::size_t max_idle_connections = 8;
};

}  // namespace mako::postgres
