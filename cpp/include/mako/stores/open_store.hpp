#pragma once
// One string picks the store: a PostgreSQL connection string opens the PostgreSQL store, anything
// else is the path of a SQLite file. What Engine.open, the CLI, `mako-engine serve` and the market
// simulation take as the store. This layer sits above sqlite and postgres (the core knows neither);
// link mako::stores, or mako::engine, which holds it.
//
// A PostgreSQL location is a URL (postgresql://user@host:5432/db, postgres://...) or libpq's
// key=value form whose first key is a libpq connection keyword ("host=/run/pg dbname=mako"). A
// build without libpq (CMake did not find PostgreSQL) still classifies them, and open_store then
// refuses them with EngineError(InvalidInput) saying that PostgreSQL support is missing.
#include <memory>
#include <string>

#include "mako/core/engine.hpp"
#include "mako/core/event_store.hpp"
#include "mako/core/snapshot_store.hpp"
#include "mako/postgres/pg_options.hpp"
#include "mako/sqlite/sqlite_options.hpp"

namespace mako::stores {

enum class StoreKind { Sqlite, Postgres };

// The options of each kind; only those of the kind the location names are used.
struct StoreOptions {
  sqlite::SqliteOptions sqlite;
  postgres::PgOptions postgres;  // its schema: several stores (e.g. two market participants) share one database
};

struct OpenedStore {
  StoreKind kind = StoreKind::Sqlite;
  // The event store; it provides its runtime stores (outbox, deadlines, registry ...) through
  // RuntimeStoresProvider when it holds them, and EngineBuilder takes them from it.
  std::shared_ptr<EventStore> events;
  std::shared_ptr<SnapshotStore> snapshots;  // in the same file or schema
  // The SQLite path, or the PostgreSQL store's label (server, database, schema; never the password).
  std::string label;
};

StoreKind store_kind(const std::string& location);
bool is_postgres_location(const std::string& location);
// Whether this build holds the PostgreSQL store (libpq was found when it was built).
bool postgres_supported();
// The location with a password (URL user:password@, password=..., ?password=) masked, for messages.
std::string redacted(const std::string& location);

// Opens (creating or migrating as the store does) the store at `location`. Throws EngineError as
// SqliteStore::open or PgStore::open do, and InvalidInput for a PostgreSQL location in a build
// without PostgreSQL support.
OpenedStore open_store(const std::string& location, const StoreOptions& options = {});

// An EngineBuilder with the store's event and snapshot stores set (add a clock, a process cache ...).
EngineBuilder engine_builder(const OpenedStore& store);
// The engine on the store at `location`: engine_builder(open_store(location, options)).build().
EngineContext engine_for(const std::string& location, const StoreOptions& options = {});

}  // namespace mako::stores
